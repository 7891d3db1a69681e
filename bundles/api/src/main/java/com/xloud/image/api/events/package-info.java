/**
 * The events of an image's life, in the past tense. Each carries its {@link com.xloud.image.api.events.Origin}:
 * who, from which project, with which roles, on which node, in which request, and when.
 * They are the source of truth; the registry tables are their projection.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package com.xloud.image.api.events;
