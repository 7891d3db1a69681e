package com.xloud.image.registry;

import com.xloud.image.api.images.Image;
import com.xloud.image.api.images.ImageMember;
import com.xloud.image.api.images.ImagePage;
import com.xloud.image.api.images.ImageQuery;
import com.xloud.image.api.images.ImageTask;
import com.xloud.image.api.images.ProjectUsage;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.axonframework.common.jdbc.ConnectionProvider;

/** The registry database as a service: the connections the event store shares, the projection, the queries. */
@org.osgi.annotation.versioning.ProviderType
public interface ImageRegistry {

    /** The pool; connections from it are not bound to a unit of work. */
    DataSource dataSource();

    /**
     * Connections bound to the current Axon unit of work: the event store and the projection
     * write through the same one, so both commit or roll back together.
     */
    ConnectionProvider connections();

    /** The objects whose event handlers write the registry tables. */
    List<Object> projections();

    /** An image by id, deleted ones included (status deleted). */
    Optional<Image> find(String id);

    /**
     * One page of the images visible to {@code projectId} ({@code admin}: all), keyset-paginated
     * from {@code query.marker()}. Shared images count for a member whose membership has the
     * {@code member_status} filter's status (default accepted; {@code all}: any). {@code marker} is
     * the marker image when the caller already read it (else null: the registry reads it).
     */
    ImagePage list(ImageQuery query, String projectId, boolean admin, Image marker);

    /** The members of an image, by member id. */
    List<ImageMember> members(String imageId);

    /** One membership, if {@code memberId} is a member of the image. */
    Optional<ImageMember> member(String imageId, String memberId);

    /** An import task by id. */
    Optional<ImageTask> task(String taskId);

    /** The import tasks of an image, newest first. */
    List<ImageTask> tasksOf(String imageId);

    /** A page of all tasks (admin), newest first, after {@code marker} (a task id). */
    List<ImageTask> tasks(int limit, String marker);

    /** The events of one image from the event store, in their order. */
    List<com.xloud.image.api.images.ImageEventRecord> history(String imageId);

    /** Events of all images from the event store, filtered and paged (see {@link com.xloud.image.api.images.AuditQuery}). */
    List<com.xloud.image.api.images.ImageEventRecord> audit(com.xloud.image.api.images.AuditQuery query);

    /** The quota-relevant usage of a project, from its non-deleted images. */
    ProjectUsage usage(String projectId);

    /** Images whose upload, staging or import was running on {@code nodeId} (saving, uploading, importing). */
    List<Image> uploadingThrough(String nodeId);

    /**
     * Fresh, empty registry tables for a rebuild; a rebuild already running (on any node) answers
     * a conflict.
     */
    RegistryCopy copy();

    /** How many events the event store holds (a rebuild's progress is measured against it). */
    long eventCount();

    /** Node {@code nodeId} runs and answers at {@code url} (its worker self-reference URL). */
    void nodeAlive(String nodeId, String url);

    /** The node running (or, for a staged image, holding) the image's transfer, if any. */
    Optional<String> transferNode(String imageId);

    /** Where a node said it answers, if it ever did. */
    Optional<String> nodeUrl(String nodeId);

    /** A transfer of the image's data (upload, staging, import) runs on {@code nodeId}: {@code bytes} so far. */
    void transferProgress(String imageId, String nodeId, long bytes);

    /** The image's transfer is over, whichever way it ended. */
    void transferEnded(String imageId);

    /**
     * Images whose transfer made no progress for {@code stall} (database time): {@code saving} or
     * {@code importing} ones by their heartbeat, or without one by their last change; {@code
     * uploading} ones only while their staging runs (a staged image waits for its import).
     */
    List<Image> stalledTransfers(java.time.Duration stall);

    /**
     * Data of deleted images still in a store: their locations, and data they left behind that a
     * store could not remove then; ordered by image id and location, after the given pair (empty
     * strings: from the start), at most {@code limit}.
     */
    List<StrayData> strayData(String afterImageId, String afterLocation, int limit);

    /**
     * Per store: how many pieces of data of deleted images wait for the scrubber, and how many a
     * live image left behind (removed once it is deleted).
     */
    StrayCounts strayCounts();
}
