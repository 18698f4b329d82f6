package helpline.localdb;

import java.lang.reflect.Field;
import java.util.List;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/** The memory and H2 backends, making {@link CollectionFixes} collections; collection creation is serialised. */
final class FixedBackends {

    private FixedBackends() {
    }

    static MemoryBackend memory() {
        return new MemoryBackend() {
            @Override
            public MemoryDatabase openOrCreateDatabase(String databaseName) {
                return new FixedMemoryDatabase(databaseName, getCursorRegistry());
            }
        };
    }

    static H2Backend h2(String fileName) {
        return new H2Backend(MVStore.open(fileName)) {
            @Override
            protected MongoDatabase openOrCreateDatabase(String databaseName) {
                return new FixedH2Database(databaseName, getMvStore(), getCursorRegistry());
            }
        };
    }

    static final class FixedMemoryDatabase extends MemoryDatabase {
        FixedMemoryDatabase(String databaseName, CursorRegistry cursorRegistry) {
            super(databaseName, cursorRegistry);
        }

        @Override
        protected FixedMemoryCollection openOrCreateCollection(String collectionName, CollectionOptions options) {
            return new FixedMemoryCollection(this, collectionName, options, cursorRegistry);
        }

        /** Stock: a non-unique index is kept empty and ignored; here a {@link MultikeyIndex}. */
        @Override
        protected Index<Integer> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                      boolean sparse) {
            return MultikeyIndex.supports(keys) ? new MultikeyIndex<>(indexName, keys)
                : super.openOrCreateSecondaryIndex(collectionName, indexName, keys, sparse);
        }

        /** Stock: check-then-create without a lock, so two clients creating one collection at once can both try. */
        @Override
        public synchronized MongoCollection<Integer> createCollectionOrThrowIfExists(String name, CollectionOptions options) {
            return super.createCollectionOrThrowIfExists(name, options);
        }
    }

    static final class FixedH2Database extends H2Database {
        /** H2Database's own copy of these names is private. */
        private static final String DATABASES_PREFIX = "databases.";
        private static final String META_PREFIX = "meta.";

        FixedH2Database(String databaseName, MVStore mvStore, CursorRegistry cursorRegistry) {
            super(databaseName, mvStore, cursorRegistry);
        }

        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
            // Called from H2Database's constructor, before a field of this class could be set: read its store.
            MVStore mvStore = storeOf(this);
            String fullName = getFullCollectionNamespace(collectionName);
            MVMap<Object, Document> dataMap = mvStore.openMap(DATABASES_PREFIX + fullName);
            MVMap<String, Object> metaMap = mvStore.openMap(META_PREFIX + fullName);
            return new FixedH2Collection(this, collectionName, options, dataMap, metaMap, cursorRegistry);
        }

        /** Stock: a non-unique index is kept empty and ignored; here a {@link MultikeyIndex}. */
        @Override
        protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                      boolean sparse) {
            return MultikeyIndex.supports(keys) ? new MultikeyIndex<>(indexName, keys)
                : super.openOrCreateSecondaryIndex(collectionName, indexName, keys, sparse);
        }

        @Override
        public synchronized MongoCollection<Object> createCollectionOrThrowIfExists(String name, CollectionOptions options) {
            return super.createCollectionOrThrowIfExists(name, options);
        }

        private static MVStore storeOf(H2Database database) {
            try {
                Field field = H2Database.class.getDeclaredField("mvStore");
                field.setAccessible(true);
                return (MVStore) field.get(database);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("mongo-java-server's H2Database has no mvStore field any more", e);
            }
        }
    }
}
