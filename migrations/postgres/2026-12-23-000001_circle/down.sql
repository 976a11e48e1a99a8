DROP TABLE circle_attachments;
DROP TABLE circle_reports;
DROP TABLE circle_reactions;
DROP TABLE circle_posts;
DROP TABLE circle_threads;
