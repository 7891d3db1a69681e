package com.xloud.image.core.kernel;

import com.xloud.image.core.command.Limits;

/**
 * The settings of the image service the use cases outside its bundle need: this node, the
 * digest Glance calls os_hash_algo, the size cap, the default store and the per-image quotas.
 */
public record KernelSettings(String nodeId, String hashingAlgorithm, long imageSizeCap, String defaultStore,
                             Limits limits) {
}
