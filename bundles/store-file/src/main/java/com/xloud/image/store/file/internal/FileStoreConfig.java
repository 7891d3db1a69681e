package com.xloud.image.store.file.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One file store: {@code etc/com.xloud.image.store.file-<name>.cfg} (a factory configuration, one
 * file per store); an empty datadir means {@code <data dir>/images}.
 */
@ObjectClassDefinition(name = "Xloud file store")
@interface FileStoreConfig {
    @AttributeDefinition(description = "directory holding the image files (Glance: filesystem_store_datadir)")
    String filesystem_store_datadir() default "";

    @AttributeDefinition(description = "bytes read and written at a time")
    int chunk_size() default 1048576;

    @AttributeDefinition(description = "store id, as clients name it in X-Image-Meta-Store")
    String store_id() default "file";

    @AttributeDefinition(description = "what /v2/info/stores says of the store")
    String store_description() default "Local file store";

    @AttributeDefinition(description = "stores with more weight are preferred for downloads")
    int store_weight() default 0;

    @AttributeDefinition(description = "uploads that name no store go to the default store")
    boolean store_default() default false;
}
