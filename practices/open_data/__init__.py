"""What flows out of the site for other programs: the Atom feed of a search, the stable
link of an entry and its citation files, the sitemap and robots.txt. Each reads published
entries only."""
