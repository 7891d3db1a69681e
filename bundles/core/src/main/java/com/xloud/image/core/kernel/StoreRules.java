package com.xloud.image.core.kernel;

import com.xloud.image.api.events.Origin;
import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.api.images.StoreInfo;
import com.xloud.image.api.store.StoreHealth;
import com.xloud.image.core.command.RemoveLocation;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** What the stores look like from outside, and taking an image's data out of one of them. */
public final class StoreRules {
    private final StoreDirectory stores;
    private final Commands events;
    private final String defaultStore;
    private final Function<RequestContext, Origin> origins;
    private final Scrubber scrubber;

    public StoreRules(StoreDirectory stores, Commands events, String defaultStore,
                      Function<RequestContext, Origin> origins, Scrubber scrubber) {
        this.scrubber = scrubber;
        this.stores = stores;
        this.events = events;
        this.defaultStore = defaultStore;
        this.origins = origins;
    }

    /** The live stores, heaviest first; {@code detail} adds type, properties and health. */
    public List<StoreInfo> describe(boolean detail) {
        String fallback = null;
        try {
            fallback = stores.forUpload(defaultStore).id();
        } catch (ImageException noWritableStore) {
            // no default store to mark
        }
        String defaultId = fallback;
        return stores.all().stream().map(e -> {
            StoreHealth health = detail ? e.store().health() : null;
            return new StoreInfo(e.id(), e.description(), e.id().equals(defaultId), e.readOnly(),
                    detail ? e.type() : null, e.weight(), detail ? e.store().properties() : Map.of(),
                    health == null ? null : health.available(), health == null ? null : health.detail(),
                    detail ? e.bundle() : null);
        }).toList();
    }

    /** DELETE /v2/stores/{store}/{id}: the event first (the aggregate refuses the last copy), then the data. */
    public void removeCopy(RequestContext ctx, Image image, String storeId) {
        requireNotInUse(image, image.locations().containsKey(storeId) ? Set.of(storeId) : Set.of());
        events.send(new RemoveLocation(image.id(), origins.apply(ctx), storeId));
        String location = image.locations().get(storeId);
        scrubber.discard(ctx, image.id(), stores.byId(storeId).orElseThrow(), URI.create(location),
                "copy removed from store " + storeId);
    }

    /** Glance answers 409 and keeps everything while a store reports the data in use (RBD clones). */
    public void requireNotInUse(Image image, Set<String> storeIds) {
        for (String storeId : storeIds) {
            StoreDirectory.Entry store = stores.byId(storeId).orElse(null);
            if (store != null && store.store().inUse(URI.create(image.locations().get(storeId)))) {
                throw ImageException.conflict("Image " + image.id() + " could not be deleted because it is in use:"
                        + " store " + storeId + " holds clones of it.");
            }
        }
    }
}
