package zapi.grouproutes.database;

import java.time.Duration;

/** Hears how long each write of a group's result took, so metrics can time it without the store depending on them. */
public interface GroupWriteListener {

    /** Hears nothing. */
    GroupWriteListener NONE = (took, written) -> {
    };

    /**
     * One call of {@link GroupStore#write} ended.
     *
     * @param took    the whole write: its transaction, and any retry of a write race
     * @param written false when it threw (the database is down, or an SQL error)
     */
    void wrote(Duration took, boolean written);
}
