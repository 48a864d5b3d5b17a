package io.paddock.tests.compat.differential;

/** A server a script runs against: Paddock or the reference ZooKeeper. */
interface Target extends AutoCloseable {
    String name();

    String connectString();

    @Override
    void close();
}
