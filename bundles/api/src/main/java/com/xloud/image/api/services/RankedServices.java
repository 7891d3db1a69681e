package com.xloud.image.api.services;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The services of one kind a component is bound to (a dynamic, multiple reference), in the order
 * OSGi ranks them: the highest {@code service.ranking} first, then the older service (the lower
 * {@code service.id}). Safe to change while others read it.
 *
 * @param <S> the service type
 */
public final class RankedServices<S> {
    private record Ranked<S>(S service, int ranking, long serviceId) {
    }

    private final Map<S, Ranked<S>> services = new ConcurrentHashMap<>();

    /** {@code properties}: the service's, as Declarative Services passes them to a bind method. */
    public void add(S service, Map<String, Object> properties) {
        Object ranking = properties.get("service.ranking");
        Object id = properties.get("service.id");
        services.put(service, new Ranked<>(service, ranking instanceof Integer r ? r : 0,
                id instanceof Long l ? l : Long.MAX_VALUE));
    }

    public void remove(S service) {
        services.remove(service);
    }

    /** The services now, in their order. */
    public List<S> ordered() {
        return services.values().stream()
                .sorted((a, b) -> a.ranking() != b.ranking() ? Integer.compare(b.ranking(), a.ranking())
                        : Long.compare(a.serviceId(), b.serviceId()))
                .map(Ranked::service).toList();
    }

    /** The ranking {@code service} was bound with; empty when it is not bound (any more). */
    public OptionalInt ranking(S service) {
        Ranked<S> r = services.get(service);
        return r == null ? OptionalInt.empty() : OptionalInt.of(r.ranking());
    }
}
