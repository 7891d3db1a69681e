package com.xloud.image.locations.internal;

import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.PatchOperation;
import com.xloud.image.api.images.RequestContext;
import com.xloud.image.core.kernel.Kernel;
import com.xloud.image.core.kernel.LocationChanges;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The changes to image locations on the image service's {@link Kernel}: Glance's JSON-patch on
 * {@code /locations} ({@link LocationPatch}) and the add-location and list-locations calls
 * ({@link ExternalLocations}, which hashes the data of a location outside the stores in the
 * background).
 */
@Component(service = LocationChanges.class)
public final class LocationsComponent implements LocationChanges {
    private final ExternalLocations external;
    private final LocationPatch patches;

    @Activate
    public LocationsComponent(@Reference Kernel kernel) {
        this.external = new ExternalLocations(kernel);
        this.patches = new LocationPatch(kernel, external);
    }

    @Override
    public void patch(RequestContext ctx, Image image, List<PatchOperation> operations) {
        patches.apply(ctx, image, operations);
    }

    @Override
    public void add(RequestContext ctx, Image image, Object url, Object validationData) {
        external.add(ctx, image, url, validationData);
    }

    @Override
    public List<Map<String, Object>> list(RequestContext ctx, Image image) {
        return external.list(ctx, image);
    }

    @Deactivate
    public void close() {
        external.close();
    }
}
