package com.xloud.image.data.internal;

import com.xloud.image.core.kernel.ImageGate;
import com.xloud.image.core.kernel.Kernel;
import com.xloud.image.core.kernel.KernelSettings;
import com.xloud.image.core.kernel.LocationChanges;
import com.xloud.image.core.kernel.StoreDirectory;
import com.xloud.image.core.kernel.StoreRules;
import com.xloud.image.api.images.ByteRange;
import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImageDataService;
import com.xloud.image.api.images.ImageDownload;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImageStatus;
import com.xloud.image.api.images.RequestContext;
import java.util.List;
import java.util.Map;
import java.io.InputStream;

/** Image data: uploads (size cap and quotas first), downloads, external locations, copies in stores. */
final class ImageData implements ImageDataService {
    private final ImageGate images;
    private final KernelSettings settings;
    private final DataFlow dataFlow;
    private final LocationChanges locations;
    private final StoreDirectory stores;
    private final StoreRules storeRules;

    ImageData(Kernel kernel, DataFlow dataFlow) {
        this.images = kernel.images();
        this.settings = kernel.settings();
        this.locations = kernel.locations();
        this.stores = kernel.stores();
        this.storeRules = kernel.storeRules();
        this.dataFlow = dataFlow;
    }

    @Override
    public void upload(RequestContext ctx, String id, InputStream data, long expectedSize, String storeId) {
        Image image = images.modifiable(ctx, id, "upload_image");
        if (expectedSize > settings.imageSizeCap()) {
            throw new ImageException(ImageException.Kind.TOO_LARGE, "Image exceeds the storage quota: the limit is "
                    + settings.imageSizeCap() + " bytes");
        }
        images.enforce(image.owner(), "image_count_uploading", 0);
        images.enforce(image.owner(), "image_size_total", 0);
        dataFlow.upload(ctx, image, data, expectedSize, storeId);
    }

    @Override
    public void addLocation(RequestContext ctx, String id, Object url, Object validationData) {
        Image image = images.modifiable(ctx, id, "add_image_location");
        images.enforce(image.owner(), "image_size_total", 0);
        locations.add(ctx, image, url, validationData);
    }

    @Override
    public List<Map<String, Object>> locations(RequestContext ctx, String id) {
        return locations.list(ctx, images.visible(ctx, id));
    }

    @Override
    public ImageDownload download(RequestContext ctx, String id, ByteRange range) {
        Image image = images.visible(ctx, id);
        images.require("download_image", ctx, image);
        if (image.status() == ImageStatus.DEACTIVATED && !ctx.isAdmin()) {
            throw ImageException.forbidden("The requested image has been deactivated. Image data download is forbidden.");
        }
        return dataFlow.download(image, range);
    }

    @Override
    public void deleteFromStore(RequestContext ctx, String storeId, String id) {
        if (stores.byId(storeId).isEmpty()) {
            throw ImageException.conflict("Unknown store " + storeId);
        }
        storeRules.removeCopy(ctx, images.modifiable(ctx, id, "delete_image_location"), storeId);
    }

    @Override
    public List<com.xloud.image.api.images.StoreInfo> stores(RequestContext ctx, boolean detail) {
        if (detail) {
            images.require("stores_info_detail", ctx);
        }
        return storeRules.describe(detail);
    }
}
