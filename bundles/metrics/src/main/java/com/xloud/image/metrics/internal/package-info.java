/** The Prometheus registry behind the node's meters, and the meters of the image cache. */
package com.xloud.image.metrics.internal;
