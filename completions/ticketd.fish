# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_ticketd_global_optspecs
    string join \n config= database= data-dir= blob-store= log-format= h/help V/version
end

function __fish_ticketd_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_ticketd_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_ticketd_using_subcommand
    set -l cmd (__fish_ticketd_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c ticketd -n "__fish_ticketd_needs_command" -l config -d 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]' -r -F
complete -c ticketd -n "__fish_ticketd_needs_command" -l database -d 'Database URL: sqlite://PATH or postgres://USER@HOST/DB' -r
complete -c ticketd -n "__fish_ticketd_needs_command" -l data-dir -d 'Directory for the SQLite database and other state' -r -F
complete -c ticketd -n "__fish_ticketd_needs_command" -l blob-store -d 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]' -r
complete -c ticketd -n "__fish_ticketd_needs_command" -l log-format -d 'Log format [default: text]' -r -f -a "text\t''
json\t''"
complete -c ticketd -n "__fish_ticketd_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ticketd -n "__fish_ticketd_needs_command" -s V -l version -d 'Print version'
complete -c ticketd -n "__fish_ticketd_needs_command" -f -a "serve" -d 'Serve the REST API (migrating the database first, unless migrate_on_start = false)'
complete -c ticketd -n "__fish_ticketd_needs_command" -f -a "migrate" -d 'Apply database migrations and exit'
complete -c ticketd -n "__fish_ticketd_needs_command" -f -a "check" -d 'Print every setting as serve would use it, then check that the data dir and the database exist, that the database is reachable, migrated and sound (SQLite\'s quick_check); writes nothing'
complete -c ticketd -n "__fish_ticketd_needs_command" -f -a "gc" -d 'Remove uploaded blobs that no artifact or ticket references and that were not used for the grace period (uploads whose bundle never came)'
complete -c ticketd -n "__fish_ticketd_needs_command" -f -a "backup" -d 'Write a consistent copy of the SQLite database while `serve` runs and writes (VACUUM INTO), checked with quick_check; the blobs are copied after it (docs/operations.md, "Back up and restore")'
complete -c ticketd -n "__fish_ticketd_needs_command" -f -a "token" -d 'Create, list, rotate and revoke API tokens'
complete -c ticketd -n "__fish_ticketd_needs_command" -f -a "export" -d 'Write every record of the database (resources, history, token hashes) as JSON Lines, from one snapshot, to move it to another database or backend'
complete -c ticketd -n "__fish_ticketd_needs_command" -f -a "import" -d 'Load an export into an empty database (migrating a new one first), in one transaction: a non-empty database or a malformed line is refused and nothing is written'
complete -c ticketd -n "__fish_ticketd_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ticketd -n "__fish_ticketd_using_subcommand serve" -l listen -d 'Address to listen on [default: 127.0.0.1:8000]; not used when systemd passes a listening socket (LISTEN_FDS, ticketd.socket)' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand serve" -l config -d 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand serve" -l database -d 'Database URL: sqlite://PATH or postgres://USER@HOST/DB' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand serve" -l data-dir -d 'Directory for the SQLite database and other state' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand serve" -l blob-store -d 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand serve" -l log-format -d 'Log format [default: text]' -r -f -a "text\t''
json\t''"
complete -c ticketd -n "__fish_ticketd_using_subcommand serve" -l no-auth -d 'Turn authentication off (every request may do everything); refused unless listening on a loopback address'
complete -c ticketd -n "__fish_ticketd_using_subcommand serve" -l init -d 'Start with a new, empty database even though the data dir shows an earlier one (uploaded blobs, a leftover -wal file); without it, an empty or missing database next to those is refused as lost'
complete -c ticketd -n "__fish_ticketd_using_subcommand serve" -s h -l help -d 'Print help'
complete -c ticketd -n "__fish_ticketd_using_subcommand serve" -s V -l version -d 'Print version'
complete -c ticketd -n "__fish_ticketd_using_subcommand migrate" -l config -d 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand migrate" -l database -d 'Database URL: sqlite://PATH or postgres://USER@HOST/DB' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand migrate" -l data-dir -d 'Directory for the SQLite database and other state' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand migrate" -l blob-store -d 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand migrate" -l log-format -d 'Log format [default: text]' -r -f -a "text\t''
json\t''"
complete -c ticketd -n "__fish_ticketd_using_subcommand migrate" -l init -d 'Migrate an empty or missing database even though the data dir shows an earlier one (see `serve --init`)'
complete -c ticketd -n "__fish_ticketd_using_subcommand migrate" -s h -l help -d 'Print help'
complete -c ticketd -n "__fish_ticketd_using_subcommand migrate" -s V -l version -d 'Print version'
complete -c ticketd -n "__fish_ticketd_using_subcommand check" -l config -d 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand check" -l database -d 'Database URL: sqlite://PATH or postgres://USER@HOST/DB' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand check" -l data-dir -d 'Directory for the SQLite database and other state' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand check" -l blob-store -d 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand check" -l log-format -d 'Log format [default: text]' -r -f -a "text\t''
json\t''"
complete -c ticketd -n "__fish_ticketd_using_subcommand check" -l full -d 'Run SQLite\'s full integrity_check (reads every page and compares every index with its table) instead of the quicker quick_check'
complete -c ticketd -n "__fish_ticketd_using_subcommand check" -s h -l help -d 'Print help'
complete -c ticketd -n "__fish_ticketd_using_subcommand check" -s V -l version -d 'Print version'
complete -c ticketd -n "__fish_ticketd_using_subcommand gc" -l grace -d 'Keep blobs uploaded or referenced less than this long ago (at least 1h): a submit uploads its files before the bundle that references them' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand gc" -l config -d 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand gc" -l database -d 'Database URL: sqlite://PATH or postgres://USER@HOST/DB' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand gc" -l data-dir -d 'Directory for the SQLite database and other state' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand gc" -l blob-store -d 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand gc" -l log-format -d 'Log format [default: text]' -r -f -a "text\t''
json\t''"
complete -c ticketd -n "__fish_ticketd_using_subcommand gc" -l dry-run -d 'Say what would be removed, and remove nothing'
complete -c ticketd -n "__fish_ticketd_using_subcommand gc" -s h -l help -d 'Print help'
complete -c ticketd -n "__fish_ticketd_using_subcommand gc" -s V -l version -d 'Print version'
complete -c ticketd -n "__fish_ticketd_using_subcommand backup" -l to -d 'Where to write: a new file (an existing one is refused), or a directory (an existing one, or a path ending in /) to hold a timestamped ticketd-YYYYMMDDTHHMMSSZ.db' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand backup" -l keep -d 'With a directory: after the backup, remove the oldest of the ticketd-YYYYMMDDTHHMMSSZ.db snapshots there beyond the newest N (never other files)' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand backup" -l config -d 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand backup" -l database -d 'Database URL: sqlite://PATH or postgres://USER@HOST/DB' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand backup" -l data-dir -d 'Directory for the SQLite database and other state' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand backup" -l blob-store -d 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand backup" -l log-format -d 'Log format [default: text]' -r -f -a "text\t''
json\t''"
complete -c ticketd -n "__fish_ticketd_using_subcommand backup" -s h -l help -d 'Print help'
complete -c ticketd -n "__fish_ticketd_using_subcommand backup" -s V -l version -d 'Print version'
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and not __fish_seen_subcommand_from create list rotate revoke help" -l config -d 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and not __fish_seen_subcommand_from create list rotate revoke help" -l database -d 'Database URL: sqlite://PATH or postgres://USER@HOST/DB' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and not __fish_seen_subcommand_from create list rotate revoke help" -l data-dir -d 'Directory for the SQLite database and other state' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and not __fish_seen_subcommand_from create list rotate revoke help" -l blob-store -d 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and not __fish_seen_subcommand_from create list rotate revoke help" -l log-format -d 'Log format [default: text]' -r -f -a "text\t''
json\t''"
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and not __fish_seen_subcommand_from create list rotate revoke help" -s h -l help -d 'Print help'
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and not __fish_seen_subcommand_from create list rotate revoke help" -s V -l version -d 'Print version'
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and not __fish_seen_subcommand_from create list rotate revoke help" -f -a "create" -d 'Create a token and print it, once, alone on the last line of stdout'
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and not __fish_seen_subcommand_from create list rotate revoke help" -f -a "list" -d 'List tokens (never their secrets)'
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and not __fish_seen_subcommand_from create list rotate revoke help" -f -a "rotate" -d 'Give a token a new secret, printed once like create\'s: same name, role and owner; the old secret stops working at once'
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and not __fish_seen_subcommand_from create list rotate revoke help" -f -a "revoke" -d 'Revoke a token by name; it stops working at once'
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and not __fish_seen_subcommand_from create list rotate revoke help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from create" -l name -d 'A unique name; events record it as their actor' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from create" -l role -d 'developer (submits and queues), lander (moves tickets) or admin (everything)' -r -f -a "developer\t''
lander\t''
admin\t''"
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from create" -l email -d 'Bind a developer token to this owner address: it may then create, queue and add artifacts only to tickets of this owner. Without it a developer token may act for any owner. Developer tokens only' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from create" -l expires -d 'When the token stops working: a duration from now (90d, 12h, 30s, "1w 2d"), a date (2027-03-01, at 00:00 UTC) or an RFC 3339 time (2027-03-01T12:00:00Z, 2027-03-01T12:00:00+01:00). Default: never' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from create" -l config -d 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from create" -l database -d 'Database URL: sqlite://PATH or postgres://USER@HOST/DB' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from create" -l data-dir -d 'Directory for the SQLite database and other state' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from create" -l blob-store -d 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from create" -l log-format -d 'Log format [default: text]' -r -f -a "text\t''
json\t''"
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from list" -l config -d 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from list" -l database -d 'Database URL: sqlite://PATH or postgres://USER@HOST/DB' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from list" -l data-dir -d 'Directory for the SQLite database and other state' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from list" -l blob-store -d 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from list" -l log-format -d 'Log format [default: text]' -r -f -a "text\t''
json\t''"
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from rotate" -l expires -d 'The new expiry, as create\'s --expires takes it. Default: the same lifetime from now as the old secret had (none if it had none)' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from rotate" -l config -d 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from rotate" -l database -d 'Database URL: sqlite://PATH or postgres://USER@HOST/DB' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from rotate" -l data-dir -d 'Directory for the SQLite database and other state' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from rotate" -l blob-store -d 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from rotate" -l log-format -d 'Log format [default: text]' -r -f -a "text\t''
json\t''"
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from rotate" -s h -l help -d 'Print help'
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from rotate" -s V -l version -d 'Print version'
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from revoke" -l config -d 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from revoke" -l database -d 'Database URL: sqlite://PATH or postgres://USER@HOST/DB' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from revoke" -l data-dir -d 'Directory for the SQLite database and other state' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from revoke" -l blob-store -d 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from revoke" -l log-format -d 'Log format [default: text]' -r -f -a "text\t''
json\t''"
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help'
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from revoke" -s V -l version -d 'Print version'
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a token and print it, once, alone on the last line of stdout'
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "list" -d 'List tokens (never their secrets)'
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "rotate" -d 'Give a token a new secret, printed once like create\'s: same name, role and owner; the old secret stops working at once'
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "revoke" -d 'Revoke a token by name; it stops working at once'
complete -c ticketd -n "__fish_ticketd_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ticketd -n "__fish_ticketd_using_subcommand export" -l output -d 'Write to FILE (made beside it under a temporary name, renamed when complete) instead of stdout' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand export" -l blobs -d 'Also copy every blob a record references into DIR, laid out as the blob store (DIR/ab/abcdef…)' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand export" -l config -d 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand export" -l database -d 'Database URL: sqlite://PATH or postgres://USER@HOST/DB' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand export" -l data-dir -d 'Directory for the SQLite database and other state' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand export" -l blob-store -d 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand export" -l log-format -d 'Log format [default: text]' -r -f -a "text\t''
json\t''"
complete -c ticketd -n "__fish_ticketd_using_subcommand export" -s h -l help -d 'Print help'
complete -c ticketd -n "__fish_ticketd_using_subcommand export" -s V -l version -d 'Print version'
complete -c ticketd -n "__fish_ticketd_using_subcommand import" -l input -d 'Read the export from FILE instead of stdin' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand import" -l blobs -d 'Also copy the blobs of DIR (as `export --blobs` wrote them) into the data dir\'s blob store, checking each one\'s SHA-256' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand import" -l config -d 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand import" -l database -d 'Database URL: sqlite://PATH or postgres://USER@HOST/DB' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand import" -l data-dir -d 'Directory for the SQLite database and other state' -r -F
complete -c ticketd -n "__fish_ticketd_using_subcommand import" -l blob-store -d 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]' -r
complete -c ticketd -n "__fish_ticketd_using_subcommand import" -l log-format -d 'Log format [default: text]' -r -f -a "text\t''
json\t''"
complete -c ticketd -n "__fish_ticketd_using_subcommand import" -s h -l help -d 'Print help'
complete -c ticketd -n "__fish_ticketd_using_subcommand import" -s V -l version -d 'Print version'
complete -c ticketd -n "__fish_ticketd_using_subcommand help; and not __fish_seen_subcommand_from serve migrate check gc backup token export import help" -f -a "serve" -d 'Serve the REST API (migrating the database first, unless migrate_on_start = false)'
complete -c ticketd -n "__fish_ticketd_using_subcommand help; and not __fish_seen_subcommand_from serve migrate check gc backup token export import help" -f -a "migrate" -d 'Apply database migrations and exit'
complete -c ticketd -n "__fish_ticketd_using_subcommand help; and not __fish_seen_subcommand_from serve migrate check gc backup token export import help" -f -a "check" -d 'Print every setting as serve would use it, then check that the data dir and the database exist, that the database is reachable, migrated and sound (SQLite\'s quick_check); writes nothing'
complete -c ticketd -n "__fish_ticketd_using_subcommand help; and not __fish_seen_subcommand_from serve migrate check gc backup token export import help" -f -a "gc" -d 'Remove uploaded blobs that no artifact or ticket references and that were not used for the grace period (uploads whose bundle never came)'
complete -c ticketd -n "__fish_ticketd_using_subcommand help; and not __fish_seen_subcommand_from serve migrate check gc backup token export import help" -f -a "backup" -d 'Write a consistent copy of the SQLite database while `serve` runs and writes (VACUUM INTO), checked with quick_check; the blobs are copied after it (docs/operations.md, "Back up and restore")'
complete -c ticketd -n "__fish_ticketd_using_subcommand help; and not __fish_seen_subcommand_from serve migrate check gc backup token export import help" -f -a "token" -d 'Create, list, rotate and revoke API tokens'
complete -c ticketd -n "__fish_ticketd_using_subcommand help; and not __fish_seen_subcommand_from serve migrate check gc backup token export import help" -f -a "export" -d 'Write every record of the database (resources, history, token hashes) as JSON Lines, from one snapshot, to move it to another database or backend'
complete -c ticketd -n "__fish_ticketd_using_subcommand help; and not __fish_seen_subcommand_from serve migrate check gc backup token export import help" -f -a "import" -d 'Load an export into an empty database (migrating a new one first), in one transaction: a non-empty database or a malformed line is refused and nothing is written'
complete -c ticketd -n "__fish_ticketd_using_subcommand help; and not __fish_seen_subcommand_from serve migrate check gc backup token export import help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ticketd -n "__fish_ticketd_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "create" -d 'Create a token and print it, once, alone on the last line of stdout'
complete -c ticketd -n "__fish_ticketd_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "list" -d 'List tokens (never their secrets)'
complete -c ticketd -n "__fish_ticketd_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "rotate" -d 'Give a token a new secret, printed once like create\'s: same name, role and owner; the old secret stops working at once'
complete -c ticketd -n "__fish_ticketd_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "revoke" -d 'Revoke a token by name; it stops working at once'
