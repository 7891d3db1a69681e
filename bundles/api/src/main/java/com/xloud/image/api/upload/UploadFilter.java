package com.xloud.image.api.upload;

/**
 * A check of every image's data on its way into a store: an upload ({@code PUT /file}) and each
 * import into each of its stores. The image service offers the data to every filter it knows,
 * highest {@code service.ranking} first (the first sees the bytes first); each may wrap the
 * stream, refuse the data with a reason and an HTTP status, and report attributes once the data
 * has ended (such as {@code virtual_size}). A refused upload leaves nothing stored.
 *
 * <p>A filter is registered as an OSGi service of this interface; it may come and go at any time:
 * an upload uses the filters present when it starts.
 */
public interface UploadFilter {

    /** The filter's name in events, error messages and health reports, such as {@code inspection}. */
    String name();

    /**
     * This filter's check of one upload, or null when the filter has nothing to check in it.
     *
     * @throws UploadRefusedException to refuse the upload before a byte is read (such as a
     *                                signature whose certificate cannot be found)
     */
    UploadCheck open(UploadSubject subject) throws UploadRefusedException;
}
