package com.xloud.image.core.command;

import com.xloud.image.api.events.Origin;
import java.util.Map;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Begin import task {@code taskId} with {@code method} (glance-direct or web-download) into {@code storeId}. */
public record StartImport(@TargetAggregateIdentifier String imageId, Origin origin, String taskId, String method,
                          String storeId, Map<String, Object> input) {
}
