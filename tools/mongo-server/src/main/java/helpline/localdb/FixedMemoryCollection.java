package helpline.localdb;

import java.util.List;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;

/** The memory backend's collection with {@link CollectionFixes}. */
final class FixedMemoryCollection extends MemoryCollection {

    FixedMemoryCollection(MongoDatabase database, String collectionName, CollectionOptions options,
                          CursorRegistry cursorRegistry) {
        super(database, collectionName, options, cursorRegistry);
    }

    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
                                         Document fieldSelector) {
        CollectionFixes.IdLookup<Integer> byId = CollectionFixes.idLookup(getIndexes(), query);
        if (byId == null) {
            Iterable<Integer> narrowed = CollectionFixes.indexedPositions(getIndexes(), query);
            if (narrowed == null) {
                return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
            }
            return matchDocuments(query, narrowed, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }
        return matchDocuments(query, byId.positions(), orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    @Override
    protected QueryResult createQueryResult(List<Document> matchedDocuments, int batchSize) {
        return super.createQueryResult(CollectionFixes.forAnswer(matchedDocuments), batchSize);
    }

    @Override
    public synchronized Document findAndModify(Document query) {
        return CollectionFixes.copyValue(CollectionFixes.internally(() -> super.findAndModify(query)));
    }

    @Override
    public synchronized Document updateDocuments(Document selector, Document updateQuery, ArrayFilters arrayFilters,
                                                 boolean isMulti, boolean isUpsert, Oplog oplog) {
        return CollectionFixes.internally(
            () -> super.updateDocuments(selector, updateQuery, arrayFilters, isMulti, isUpsert, oplog));
    }

    @Override
    public synchronized int deleteDocuments(Document selector, int limit, Oplog oplog) {
        return CollectionFixes.internally(() -> super.deleteDocuments(selector, limit, oplog));
    }
}
