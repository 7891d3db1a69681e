package com.xloud.image.api.images;

/**
 * The request needs data that another node staged (glance-direct keeps staged data on the node
 * that received it): the REST layer forwards the request to {@code nodeUrl}, as Glance does with
 * its {@code worker_self_reference_url}.
 */
public final class StagedElsewhereException extends RuntimeException {
    private final String nodeId;
    private final String nodeUrl;

    public StagedElsewhereException(String imageId, String nodeId, String nodeUrl) {
        super("the data of image " + imageId + " is staged on node " + nodeId + " (" + nodeUrl + ")");
        this.nodeId = nodeId;
        this.nodeUrl = nodeUrl;
    }

    public String nodeId() {
        return nodeId;
    }

    public String nodeUrl() {
        return nodeUrl;
    }
}
