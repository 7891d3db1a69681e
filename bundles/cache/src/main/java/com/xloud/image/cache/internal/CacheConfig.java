package com.xloud.image.cache.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/com.xloud.image.cache.cfg}, with Glance's option names: with it the node caches images. */
@ObjectClassDefinition(name = "Xloud image cache")
@interface CacheConfig {
    @AttributeDefinition(description = "folder of the cache, on local disk (Glance: image_cache_dir)")
    String image_cache_dir();

    @AttributeDefinition(description = "bytes the cache may hold; beyond, the least recently used images go"
            + " (Glance: image_cache_max_size, 10 GiB)")
    long image_cache_max_size() default 10L << 30;

    @AttributeDefinition(description = "seconds after which a fill that made no progress is abandoned"
            + " (Glance: image_cache_stall_time, one day)")
    long image_cache_stall_time() default 86_400;

    @AttributeDefinition(description = "seconds between runs of the cleaner and the pruner")
    long image_cache_cleaner_interval() default 300;

    @AttributeDefinition(description = "seconds between runs of the prefetcher, which caches the queued images"
            + " (Glance: cache_prefetcher_interval, 300)")
    long image_cache_prefetcher_interval() default 300;
}
