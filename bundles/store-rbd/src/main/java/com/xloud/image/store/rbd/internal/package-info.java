/**
 * The Ceph RBD store, as Glance's rbd driver: each image an RBD image named after its id, written
 * in chunks, then a protected snapshot "snap" that Nova and Cinder clone from. Depends on the api
 * bundle's store SPI, rados-java (embedded) and JNA; never on the registry or the core.
 */
package com.xloud.image.store.rbd.internal;
