// Two cores are shared with other work, and each fixture runs a server and a browser: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
