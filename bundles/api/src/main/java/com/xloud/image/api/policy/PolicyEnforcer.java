package com.xloud.image.api.policy;

import com.xloud.image.api.images.RequestContext;
import java.util.Map;

/**
 * Answers whether a caller may take an action, by the rules in force (the operator's policy file
 * over Glance's defaults). {@code target} holds the attributes the rules compare with the caller,
 * such as {@code project_id} (the owner) and {@code visibility}.
 */
public interface PolicyEnforcer {
    boolean allows(String action, RequestContext ctx, Map<String, Object> target);
}
