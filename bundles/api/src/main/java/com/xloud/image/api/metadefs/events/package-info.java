/**
 * The events of the metadata definitions catalog (Glance's metadefs): one stream per namespace,
 * in the same event store as the images, each with its {@link com.xloud.image.api.events.Origin}.
 * Objects, properties, tags and resource type associations live inside their namespace's stream;
 * a resource type exists once a namespace was associated with it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package com.xloud.image.api.metadefs.events;
