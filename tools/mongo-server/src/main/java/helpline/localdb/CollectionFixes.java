package helpline.localdb;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;

/**
 * What Helpline's collections change in mongo-java-server 1.47, shared by the memory and H2 collections.
 *
 * <ul>
 *   <li><b>Answers are copies.</b> The stock collections answer find and findAndModify with the stored documents
 *   themselves, serialised after the collection lock is released, so a concurrent update can change what a
 *   client reads (three clients {@code $inc}-ing one counter were handed the same number twice). Here every answer
 *   is deep-copied while the lock is held. The collection's own reads (the document an update or delete is about
 *   to change) stay live: they run inside {@link #internally}.</li>
 *   <li><b>{@code _id} equality uses the {@code _id} index</b> even when the filter has other conditions
 *   ({@code {_id, version}}, the optimistic-concurrency save): the stock server uses an index only when the filter
 *   is exactly its keys, and otherwise scans the whole collection.</li>
 *   <li><b>Secondary indexes narrow queries</b> ({@link MultikeyIndex}): a condition of equality, {@code $in} or
 *   {@code $all} on a non-unique index's first key reads only the documents holding those values (the search's
 *   {@code terms}, a status, a due flag), where the stock server keeps no such index and scans.</li>
 * </ul>
 */
final class CollectionFixes {

    private static final String ID = "_id";

    /** How deep the current thread is in a collection's own read-for-update (0: a client's read). */
    private static final ThreadLocal<int[]> INTERNAL = ThreadLocal.withInitial(() -> new int[1]);

    private CollectionFixes() {
    }

    /** Runs a collection operation whose own reads must return the stored documents (to update or remove them). */
    static <T> T internally(Supplier<T> operation) {
        int[] depth = INTERNAL.get();
        depth[0]++;
        try {
            return operation.get();
        } finally {
            depth[0]--;
        }
    }

    /** The documents a query answers with: copies for a client, the stored ones for the collection itself. */
    static List<Document> forAnswer(List<Document> matched) {
        if (INTERNAL.get()[0] > 0) {
            return matched;
        }
        List<Document> copies = new ArrayList<>(matched.size());
        for (Document document : matched) {
            copies.add(document == null ? null : document.cloneDeeply());
        }
        return copies;
    }

    /** findAndModify's reply with its {@code value} replaced by a copy. */
    static Document copyValue(Document reply) {
        Object value = reply.get("value");
        if (value instanceof Document) {
            reply.put("value", ((Document) value).cloneDeeply());
        }
        return reply;
    }

    /**
     * The {@code _id} index and the part of {@code query} it can answer, when the query has an {@code _id} condition
     * beside others; null when the stock lookup already applies (the query is exactly {@code {_id}}) or cannot help.
     */
    static <P> IdLookup<P> idLookup(List<Index<P>> indexes, Document query) {
        if (query == null || query.size() < 2 || !query.containsKey(ID)) {
            return null;
        }
        Document idQuery = new Document(ID, query.get(ID));
        for (Index<P> index : indexes) {
            List<IndexKey> keys = index.getKeys();
            if (keys.size() == 1 && keys.get(0).getKey().equals(ID) && index.canHandle(idQuery)) {
                return new IdLookup<>(index, idQuery);
            }
        }
        return null;
    }

    record IdLookup<P>(Index<P> index, Document idQuery) {
        Iterable<P> positions() {
            return index.getPositions(idQuery);
        }
    }

    /**
     * The positions a secondary index narrows {@code query} to (the smallest such set, in position order), or null when
     * no {@link MultikeyIndex} applies and the query must scan.
     */
    static <P> Iterable<P> indexedPositions(List<Index<P>> indexes, Document query) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        Set<P> best = null;
        for (Index<P> index : indexes) {
            if (index instanceof MultikeyIndex<P> multikey && query.containsKey(multikey.field())) {
                Set<P> positions = multikey.positionsFor(query.get(multikey.field()));
                if (positions != null && (best == null || positions.size() < best.size())) {
                    best = positions;
                }
            }
        }
        if (best == null) {
            return null;
        }
        List<P> ordered = new ArrayList<>(best);
        try {
            // A scan reads in position order; keep that order for queries without a sort.
            ordered.sort(null);
        } catch (ClassCastException mixed) {
            // Positions of mixed kinds (H2 keys of several types): leave them as found.
        }
        return ordered;
    }
}
