DROP TABLE resource_collection_items;
DROP TABLE resource_collections;
DROP TABLE resource_bookmarks;
DROP TABLE resource_files;
DROP TABLE resource_versions;
DROP TABLE resources;
