package com.shopsense.session;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * All the sessionizer keeps per user, in one keyed value: the profile (outlives sessions, expires by
 * TTL) and the open session (null between sessions). One state read and one write per event instead of
 * two of each. Serialized by {@link UserStateSerializer} (field by field; the reflective POJO serializer was
 * the sessionizer's largest Java cost): a new field needs a new format there.
 */
@TypeInfo(UserStateSerializer.Factory.class)
public class UserState {
    public UserProfile profile;
    public OpenSession session;
    /** Event time of the user's last recommendation refresh, -1 when none (outlives sessions, as the list does). */
    public long lastRecoTs = -1;

    public UserState() {
    }
}
