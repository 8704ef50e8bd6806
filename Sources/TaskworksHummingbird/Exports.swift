#if Hummingbird
    // A host that mounts Taskworks with this adapter names TaskHTTPMount and TaskHTTPAPI's
    // configuration without importing TaskworksHTTP itself.
    @_exported import TaskworksHTTP
#endif
