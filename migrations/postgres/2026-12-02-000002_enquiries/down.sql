DROP TABLE enquiry_topics;
DROP TABLE enquiries;
