DROP TABLE public_tokens;
DROP TABLE link_tokens;
