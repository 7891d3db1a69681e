package com.xloud.image.store.rbd.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One RBD store: {@code etc/com.xloud.image.store.rbd-<name>.cfg}, with Glance's rbd option names. */
@ObjectClassDefinition(name = "Xloud Ceph RBD store")
@interface RbdStoreConfig {
    @AttributeDefinition(description = "store id, as clients name it in X-Image-Meta-Store")
    String store_id() default "rbd";

    @AttributeDefinition(description = "what /v2/info/stores says of the store")
    String store_description() default "Ceph RBD";

    @AttributeDefinition(description = "stores with more weight are preferred for downloads")
    int store_weight() default 0;

    @AttributeDefinition(description = "uploads that name no store go to the default store")
    boolean store_default() default false;

    @AttributeDefinition(description = "pool the images live in (Glance: rbd_store_pool)")
    String rbd_store_pool() default "images";

    @AttributeDefinition(description = "cephx user, without 'client.' (Glance: rbd_store_user)")
    String rbd_store_user() default "admin";

    @AttributeDefinition(description = "ceph.conf of the cluster (Glance: rbd_store_ceph_conf)")
    String rbd_store_ceph_conf() default "/etc/ceph/ceph.conf";

    @AttributeDefinition(description = "MiB written at a time, and the RBD object size (Glance: rbd_store_chunk_size)")
    int rbd_store_chunk_size() default 8;

    @AttributeDefinition(description = "seconds to reach the cluster (Glance: rados_connect_timeout)")
    int rados_connect_timeout() default 30;

    @AttributeDefinition(description = "seconds an OSD operation may take before it fails (librados rados_osd_op_timeout)")
    int rados_osd_op_timeout() default 60;

    @AttributeDefinition(description = "skip writing chunks of zeros (Glance: rbd_thin_provisioning)")
    boolean rbd_thin_provisioning() default false;
}
