package com.xloud.image.rest.internal;

import com.xloud.image.api.images.ByteRange;
import com.xloud.image.api.images.ImageDataService;
import com.xloud.image.api.images.ImageDownload;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.api.images.StoreInfo;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * The image data service while its bundle (com.xloud.image.data) runs: uploads, downloads and the
 * store routes answer 503 naming the bundle while it is absent; the metadata API goes on serving.
 */
final class DataServiceSlot implements ImageDataService {
    static final String ABSENT = "Image data (bundle com.xloud.image.data) is not served on this node";

    private final ServiceSlot<ImageDataService> slot = new ServiceSlot<>(ABSENT);

    void set(ImageDataService service) {
        slot.set(service);
    }

    void unset(ImageDataService gone) {
        slot.unset(gone);
    }

    @Override
    public void upload(RequestContext ctx, String id, InputStream data, long expectedSize, String storeId) {
        slot.require().upload(ctx, id, data, expectedSize, storeId);
    }

    @Override
    public ImageDownload download(RequestContext ctx, String id, ByteRange range) {
        return slot.require().download(ctx, id, range);
    }

    @Override
    public void addLocation(RequestContext ctx, String id, Object url, Object validationData) {
        slot.require().addLocation(ctx, id, url, validationData);
    }

    @Override
    public List<Map<String, Object>> locations(RequestContext ctx, String id) {
        return slot.require().locations(ctx, id);
    }

    @Override
    public List<StoreInfo> stores(RequestContext ctx, boolean detail) {
        return slot.require().stores(ctx, detail);
    }

    @Override
    public void deleteFromStore(RequestContext ctx, String storeId, String id) {
        slot.require().deleteFromStore(ctx, storeId, id);
    }
}
