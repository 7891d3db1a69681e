package com.xloud.image.store.file.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/com.xloud.image.store.file.cfg}; an empty datadir means {@code <data dir>/images}. */
@ObjectClassDefinition(name = "Xloud file store")
@interface FileStoreConfig {
    @AttributeDefinition(description = "directory holding the image files (Glance: filesystem_store_datadir)")
    String filesystem_store_datadir() default "";

    @AttributeDefinition(description = "bytes read and written at a time")
    int chunk_size() default 1048576;

    @AttributeDefinition(description = "store id, as clients name it in X-Image-Meta-Store")
    String store_id() default "file";
}
