package com.xloud.image.api.events;

import java.time.Instant;
import java.util.List;

/** Who caused an event, where and when. */
public record Origin(String userId, String projectId, List<String> roles, String nodeId, String requestId,
                     Instant at) {
    public Origin {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }
}
