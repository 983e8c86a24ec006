-- The warehouse's dim_track: every track with its genre's name.
SELECT t."TrackId" AS track_id, t."Name" AS name, coalesce(g."Name", '') AS genre
  FROM public."Track" t LEFT JOIN public."Genre" g ON g."GenreId" = t."GenreId";
