-- Tags and properties kept beside each image row as JSON, refreshed by the projection whenever
-- they change: a read is one row, no join. image_tags and image_properties stay for filtering.
ALTER TABLE images ADD COLUMN tags_json TEXT NULL, ADD COLUMN properties_json MEDIUMTEXT NULL;
UPDATE images i SET
  tags_json = (SELECT JSON_ARRAYAGG(t.tag ORDER BY t.tag) FROM image_tags t WHERE t.image_id = i.id),
  properties_json = (SELECT JSON_OBJECTAGG(p.name, p.value) FROM image_properties p WHERE p.image_id = i.id);
