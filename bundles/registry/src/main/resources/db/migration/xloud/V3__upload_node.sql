-- The node an upload in progress streams through: after a crash that node hands the image back to queued.
ALTER TABLE images ADD COLUMN upload_node VARCHAR(255) NULL;
CREATE INDEX ix_images_upload_node ON images (upload_node);
