/**
 * The metadata definitions catalog (Glance's metadefs, API 2.x): one event-sourced aggregate per
 * namespace, the catalog's use cases (visibility, policy, validation), its reads from the registry
 * tables that the registry projects from its events, and its {@code /v2/metadefs} and
 * {@code /v2/schemas/metadefs} routes, contributed to the REST bundle as a service. Depends on the
 * api bundle (events, policy, the route SPI) and the registry (the event store and its tables);
 * never on core, the REST bundle's internals or a store.
 */
package com.xloud.image.metadefs.internal;
