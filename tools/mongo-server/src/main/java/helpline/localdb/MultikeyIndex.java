package helpline.localdb;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;

/**
 * A non-unique (and multikey) secondary index on its first key, which mongo-java-server 1.47 does not have: the stock
 * server keeps such an index as an {@code EmptyIndex} and scans the collection for every query on it. This one maps
 * each value of the first key (each element when it is an array) to the positions of the documents holding it, so a
 * query with an equality, {@code $in} or {@code $all} on that key reads only those documents; the full query is still
 * matched on each of them ({@link CollectionFixes#indexedPositions}), so the index only narrows, never decides.
 *
 * <p>Values it cannot compare exactly (null or missing, documents, nested arrays, regular expressions) are not
 * indexed, and a query on such a value is not answered from the index (it scans, as before). The later keys of a
 * compound index are not used. It is sparse for the collection's removal bookkeeping (it answers no position).
 */
final class MultikeyIndex<P> extends Index<P> {

    private static final String ID = "_id";

    private final String field;
    private final Map<Object, Set<P>> postings = new HashMap<>();
    private final Map<P, List<Object>> valuesAt = new HashMap<>();
    private final Map<Object, P> positionOfId = new HashMap<>();

    MultikeyIndex(String name, List<IndexKey> keys) {
        super(name, keys, true);
        this.field = keys.get(0).getKey();
    }

    /** True when this index can serve queries on {@code key} (a top-level field). */
    static boolean supports(List<IndexKey> keys) {
        return !keys.isEmpty() && !keys.get(0).getKey().contains(".") && !keys.get(0).getKey().equals(ID);
    }

    /** The key a value is indexed under, or null for one compared otherwise than by equality. */
    static Object keyOf(Object value) {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value == null || value instanceof Document || value instanceof Collection || value instanceof Pattern) {
            return null;
        }
        return value;
    }

    private static List<Object> keysOf(Object value) {
        List<Object> keys = new ArrayList<>();
        if (value instanceof Collection<?> values) {
            for (Object v : values) {
                Object k = keyOf(v);
                if (k != null) {
                    keys.add(k);
                }
            }
        } else {
            Object k = keyOf(value);
            if (k != null) {
                keys.add(k);
            }
        }
        return keys;
    }

    String field() {
        return field;
    }

    /**
     * The positions of the documents that can match {@code condition} (the query's condition on this index's field),
     * or null when the index cannot narrow it.
     */
    synchronized Set<P> positionsFor(Object condition) {
        if (condition instanceof Document operators) {
            if (operators.size() != 1) {
                return null;
            }
            Object operand = operators.get("$all");
            if (operand == null) {
                operand = operators.get("$in");
                return operand instanceof Collection<?> any ? union(any) : null;
            }
            return operand instanceof Collection<?> all ? intersection(all) : null;
        }
        Object key = keyOf(condition);
        if (key == null) {
            return null;
        }
        return new LinkedHashSet<>(postings.getOrDefault(key, Set.of()));
    }

    private Set<P> union(Collection<?> values) {
        Set<P> out = new LinkedHashSet<>();
        for (Object v : values) {
            Object key = keyOf(v);
            if (key == null) {
                return null;
            }
            out.addAll(postings.getOrDefault(key, Set.of()));
        }
        return out;
    }

    private Set<P> intersection(Collection<?> values) {
        if (values.isEmpty()) {
            return null;
        }
        Set<P> smallest = null;
        List<Set<P>> sets = new ArrayList<>();
        for (Object v : values) {
            Object key = keyOf(v);
            if (key == null) {
                return null;
            }
            Set<P> set = postings.getOrDefault(key, Set.of());
            sets.add(set);
            if (smallest == null || set.size() < smallest.size()) {
                smallest = set;
            }
        }
        Set<P> out = new LinkedHashSet<>(smallest);
        for (Set<P> set : sets) {
            if (set != smallest) {
                out.retainAll(set);
            }
        }
        return out;
    }

    private void index(Document document, P position) {
        List<Object> keys = keysOf(document.get(field));
        valuesAt.put(position, keys);
        for (Object key : keys) {
            postings.computeIfAbsent(key, k -> new HashSet<>()).add(position);
        }
        positionOfId.put(document.get(ID), position);
    }

    private void unindex(P position) {
        List<Object> keys = valuesAt.remove(position);
        if (keys == null) {
            return;
        }
        for (Object key : keys) {
            Set<P> set = postings.get(key);
            if (set != null) {
                set.remove(position);
                if (set.isEmpty()) {
                    postings.remove(key);
                }
            }
        }
    }

    @Override
    public P getPosition(Document document) {
        return null;
    }

    @Override
    public void checkAdd(Document document, MongoCollection<P> collection) {
    }

    @Override
    public synchronized void add(Document document, P position, MongoCollection<P> collection) {
        index(document, position);
    }

    @Override
    public synchronized P remove(Document document) {
        P position = positionOfId.remove(document.get(ID));
        if (position != null) {
            unindex(position);
        }
        return null;
    }

    @Override
    public boolean canHandle(Document query) {
        return false;
    }

    @Override
    public Iterable<P> getPositions(Document query) {
        throw new UnsupportedOperationException("answered through CollectionFixes.indexedPositions");
    }

    @Override
    public synchronized long getCount() {
        return valuesAt.size();
    }

    @Override
    public long getDataSize() {
        return 0;
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<P> collection) {
    }

    @Override
    public synchronized void updateInPlace(Document oldDocument, Document newDocument, P position,
                                           MongoCollection<P> collection) {
        unindex(position);
        positionOfId.remove(oldDocument.get(ID));
        index(newDocument, position);
    }

    @Override
    public synchronized void drop() {
        postings.clear();
        valuesAt.clear();
        positionOfId.clear();
    }
}
