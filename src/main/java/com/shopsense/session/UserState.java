package com.shopsense.session;

/**
 * All the sessionizer keeps per user, in one keyed value: the profile (outlives sessions, expires by
 * TTL) and the open session (null between sessions). One state read and one write per event instead of
 * two of each. A Flink POJO.
 */
public class UserState {
    public UserProfile profile;
    public OpenSession session;
    /** Event time of the user's last recommendation refresh, -1 when none (outlives sessions, as the list does). */
    public long lastRecoTs = -1;

    public UserState() {
    }
}
