package io.paddock.tests.support;

import io.paddock.tests.support.WriteLoad.Attempt;
import io.paddock.tests.support.WriteLoad.Kind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Checks one {@link WriteLoad} writer's subtree of a tree against the writer's record of attempts:
 * <ul>
 *   <li>every acknowledged write took effect, with the Stat it was acknowledged with; a write
 *       that failed did not; an indeterminate one (its connection was lost) took effect whole or
 *       not at all (a multi's two creates and its setData together);</li>
 *   <li>nothing else is there: no znode that was never attempted, no data that no write sent;</li>
 *   <li>among the writes sent on one connection and lost with it, those that took effect come
 *       first: a server passes a session's writes on in order, so a later one cannot take effect
 *       without the earlier ones;</li>
 *   <li>the acknowledged writes' zxids rise in send order;</li>
 *   <li>{@code counter2}'s version is the number of multis that took effect (known from their
 *       creates), it holds the last one's data, and each acknowledged multi's setData has its
 *       place among them as version; {@code counter} holds the data of the last setData that
 *       took effect, no setData acknowledged after that one, and its version lies between the
 *       setData that must have taken effect and those plus the indeterminate ones.</li>
 * </ul>
 */
final class WriteCheck {
    static final byte[] INIT = "init".getBytes(StandardCharsets.UTF_8);

    enum Status { APPLIED, NOT_APPLIED, UNKNOWN }

    private final String base;
    private final List<Attempt> attempts;
    private final Map<String, TreeDump.Node> children = new HashMap<>();
    private final List<String> problems;
    private final Map<Attempt, Status> status = new IdentityHashMap<>();

    WriteCheck(String base, List<Attempt> attempts, SortedMap<String, TreeDump.Node> dump, List<String> problems) {
        this.base = base;
        this.attempts = attempts;
        this.problems = problems;
        dump.subMap(base + "/", base + "/\uffff").forEach((path, node) -> {
            String name = path.substring(base.length() + 1);
            if (name.contains("/")) {
                problems.add(path + ": a znode nobody created (writers create no grandchildren)");
            } else {
                children.put(name, node);
            }
        });
    }

    /** Runs every check; returns how many indeterminate writes took effect. */
    int run() {
        TreeDump.Node counter = children.remove("counter");
        TreeDump.Node counter2 = children.remove("counter2");
        if (counter == null || counter2 == null) {
            problems.add(base + ": counter or counter2 is missing");
            return 0;
        }
        createsAndDeletes();
        sequentialCreates();
        multis(counter2);
        sets(counter);
        children.keySet().stream().sorted().forEach(name -> problems.add(base + "/" + name + ": never attempted"));

        int appliedUnacked = 0;
        Map<Integer, Attempt> firstMissingByLoss = new HashMap<>();
        Attempt lastAcked = null;
        for (Attempt a : attempts) {
            Status s = status.getOrDefault(a, Status.UNKNOWN);
            if (a.acked() && s == Status.NOT_APPLIED) {
                problems.add(a + ": acknowledged, but did not take effect");
            } else if (a.failed() && s == Status.APPLIED) {
                problems.add(a + ": took effect, though it failed");
            } else if (a.indeterminate() && s == Status.APPLIED) {
                appliedUnacked++;
            }
            boolean lostWithItsConnection = a.lostWith >= 0 && a.lostWith == a.connection;
            if (lostWithItsConnection && s == Status.NOT_APPLIED) {
                firstMissingByLoss.putIfAbsent(a.lostWith, a);
            } else if (lostWithItsConnection && s == Status.APPLIED && firstMissingByLoss.containsKey(a.lostWith)) {
                problems.add(a + ": took effect, but " + firstMissingByLoss.get(a.lostWith)
                    + ", sent before it on the same connection, did not");
            }
            if (a.zxid() >= 0) {
                if (lastAcked != null && a.zxid() <= lastAcked.zxid()) {
                    problems.add(a + ": acknowledged at zxid 0x" + Long.toHexString(a.zxid()) + ", not after "
                        + lastAcked + " at 0x" + Long.toHexString(lastAcked.zxid()));
                }
                lastAcked = a;
            }
        }
        return appliedUnacked;
    }

    /** Creates {@code n<i>}, and the deletes that remove every tenth of them eight attempts later. */
    private void createsAndDeletes() {
        Map<Integer, Attempt> byIndex = new HashMap<>();
        attempts.forEach(a -> byIndex.put(a.index, a));
        for (Attempt a : attempts) {
            if (a.kind != Kind.CREATE) {
                continue;
            }
            TreeDump.Node n = children.remove("n" + a.index);
            Attempt delete = a.index % 10 == 0 ? byIndex.get(a.index + 8) : null;
            if (n != null) {
                status.put(a, Status.APPLIED);
                expectData(n, a);
                if (a.acked() && !n.stat().equals(a.stat)) {
                    problems.add(a + ": acknowledged with " + oneLine(a) + ", but the tree has " + n);
                }
                if (delete != null) {
                    status.put(delete, Status.NOT_APPLIED);
                    if (delete.failed()) {
                        problems.add(delete + ": found no znode, yet " + a + " is in the tree");
                    }
                }
            } else if (delete == null || delete.failed()) {
                // nothing removed it: it was never created
                status.put(a, Status.NOT_APPLIED);
                if (delete != null) {
                    status.put(delete, Status.NOT_APPLIED);
                }
            } else if (a.acked() || delete.acked()) {
                status.put(a, Status.APPLIED); // created, then deleted
                status.put(delete, Status.APPLIED);
            } else {
                status.put(a, Status.UNKNOWN); // both took effect, or neither did
                status.put(delete, Status.UNKNOWN);
            }
        }
    }

    /** Sequential creates: a znode {@code s-<n>} holds the data of the attempt that made it, at most one each. */
    private void sequentialCreates() {
        Map<String, Attempt> byData = new HashMap<>();
        attempts.stream().filter(a -> a.kind == Kind.SEQ).forEach(a -> byData.put(text(a.data), a));
        Map<Attempt, String> names = new IdentityHashMap<>();
        for (String name : new ArrayList<>(children.keySet())) {
            if (!name.matches("s-\\d{10}")) {
                continue;
            }
            TreeDump.Node n = children.remove(name);
            String path = base + "/" + name;
            Attempt a = byData.get(text(n.data()));
            if (a == null) {
                problems.add(path + ": holds '" + text(n.data()) + "', which no sequential create sent");
            } else if (names.put(a, name) != null) {
                problems.add(path + ": a second znode for " + a);
            } else if (a.acked() && !(path.equals(a.createdPath) && n.stat().equals(a.stat))) {
                problems.add(a + ": acknowledged as " + a.createdPath + " with " + oneLine(a) + ", but the tree has "
                    + path + " " + n);
            }
        }
        byData.values().forEach(a -> status.put(a, names.containsKey(a) ? Status.APPLIED : Status.NOT_APPLIED));
    }

    /** Multis: each creates {@code m<i>a} and {@code m<i>b} and sets {@code counter2}, all or nothing. */
    private void multis(TreeDump.Node counter2) {
        List<Attempt> applied = new ArrayList<>();
        for (Attempt a : attempts) {
            if (a.kind != Kind.MULTI) {
                continue;
            }
            TreeDump.Node ma = children.remove("m" + a.index + "a");
            TreeDump.Node mb = children.remove("m" + a.index + "b");
            if ((ma == null) != (mb == null)) {
                problems.add(a + ": took effect only in part (m" + a.index + "a " + (ma != null) + ", m" + a.index
                    + "b " + (mb != null) + ")");
            }
            boolean took = ma != null || mb != null;
            status.put(a, took ? Status.APPLIED : Status.NOT_APPLIED);
            if (!took) {
                continue;
            }
            applied.add(a);
            for (TreeDump.Node n : new TreeDump.Node[] {ma, mb}) {
                if (n != null) {
                    expectData(n, a);
                }
            }
            if (a.acked()) {
                long zxid = a.setResult().getMzxid();
                if (a.setResult().getVersion() != applied.size()) {
                    problems.add(a + ": its setData of counter2 was acknowledged at version " + a.setResult().getVersion()
                        + ", but it is multi " + applied.size() + " of those that took effect");
                }
                if (ma == null || mb == null || ma.stat().getCzxid() != zxid || mb.stat().getCzxid() != zxid) {
                    problems.add(a + ": its creates and setData do not share the acknowledged zxid 0x"
                        + Long.toHexString(zxid) + ": " + ma + " " + mb);
                }
            }
        }
        Attempt last = applied.isEmpty() ? null : applied.get(applied.size() - 1);
        if (counter2.stat().getVersion() != applied.size()) {
            problems.add(base + "/counter2: version " + counter2.stat().getVersion() + ", but " + applied.size()
                + " multis took effect");
        }
        expectData(counter2, last, "counter2");
        if (last != null && last.acked() && !counter2.stat().equals(last.setResult())) {
            problems.add(base + "/counter2: " + counter2 + ", but " + last + " set it to " + last.setResult());
        }
    }

    /**
     * setData on {@code counter}: which indeterminate ones took effect cannot be told, only that
     * the last one to take effect is the one whose data it holds, and how many did in all.
     */
    private void sets(TreeDump.Node counter) {
        List<Attempt> sets = attempts.stream().filter(a -> a.kind == Kind.SET).toList();
        int setter = -1;
        for (int i = 0; i < sets.size(); i++) {
            if (Arrays.equals(sets.get(i).data, counter.data())) {
                setter = i;
            }
        }
        expectData(counter, setter < 0 ? null : sets.get(setter), "counter");
        int mustHave = 0;
        int mayHave = 0;
        int ackedBefore = 0;
        int indeterminateBefore = 0;
        for (int i = 0; i < sets.size(); i++) {
            Attempt s = sets.get(i);
            Status st = i > setter ? Status.NOT_APPLIED // after the last one that took effect
                : i == setter || s.acked() ? Status.APPLIED
                : s.failed() ? Status.NOT_APPLIED : Status.UNKNOWN;
            status.put(s, st);
            mustHave += st == Status.APPLIED ? 1 : 0;
            mayHave += st == Status.UNKNOWN ? 1 : 0;
            if (s.acked()) {
                int v = s.stat.getVersion();
                if (v < 1 + ackedBefore || v > 1 + ackedBefore + indeterminateBefore) {
                    problems.add(s + ": acknowledged at version " + v + ", after " + ackedBefore
                        + " acknowledged and " + indeterminateBefore + " indeterminate setData");
                }
                ackedBefore++;
            } else if (s.indeterminate()) {
                indeterminateBefore++;
            }
        }
        int version = counter.stat().getVersion();
        if (version < mustHave || version > mustHave + mayHave) {
            problems.add(base + "/counter: version " + version + ", but " + mustHave + " setData took effect and "
                + mayHave + " more may have");
        }
        if (setter >= 0 && sets.get(setter).acked() && !counter.stat().equals(sets.get(setter).stat)) {
            problems.add(base + "/counter: " + counter + ", but " + sets.get(setter) + " set it to " + oneLine(sets.get(setter)));
        }
    }

    private void expectData(TreeDump.Node n, Attempt a) {
        if (!Arrays.equals(n.data(), a.data)) {
            problems.add(a + ": its znode holds '" + text(n.data()) + "', not '" + text(a.data) + "'");
        }
    }

    /** A counter holds the data of {@code setter}, or its initial data when nothing set it. */
    private void expectData(TreeDump.Node counter, Attempt setter, String name) {
        byte[] expected = setter == null ? INIT : setter.data;
        if (!Arrays.equals(counter.data(), expected)) {
            problems.add(base + "/" + name + ": holds '" + text(counter.data()) + "', expected '" + text(expected) + "'");
        }
    }

    private static String oneLine(Attempt a) {
        return a.stat == null ? "no Stat" : a.stat.toString().trim().replace('\n', ' ');
    }

    private static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }
}
