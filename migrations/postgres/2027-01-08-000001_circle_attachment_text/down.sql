ALTER TABLE circle_attachments DROP COLUMN text_folded;
