
use builtin;
use str;

set edit:completion:arg-completer[ticketd] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'ticketd'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'ticketd'= {
            cand --config 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]'
            cand --database 'Database URL: sqlite://PATH or postgres://USER@HOST/DB'
            cand --data-dir 'Directory for the SQLite database and other state'
            cand --blob-store 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]'
            cand --log-format 'Log format [default: text]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand serve 'Serve the REST API (migrating the database first, unless migrate_on_start = false)'
            cand migrate 'Apply database migrations and exit'
            cand check 'Print every setting as serve would use it, then check that the data dir and the database exist, that the database is reachable, migrated and sound (SQLite''s quick_check); writes nothing'
            cand gc 'Remove uploaded blobs that no artifact or ticket references and that were not used for the grace period (uploads whose bundle never came)'
            cand backup 'Write a consistent copy of the SQLite database while `serve` runs and writes (VACUUM INTO), checked with quick_check; the blobs are copied after it (docs/operations.md, "Back up and restore")'
            cand token 'Create, list, rotate and revoke API tokens'
            cand export 'Write every record of the database (resources, history, token hashes) as JSON Lines, from one snapshot, to move it to another database or backend'
            cand import 'Load an export into an empty database (migrating a new one first), in one transaction: a non-empty database or a malformed line is refused and nothing is written'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ticketd;serve'= {
            cand --listen 'Address to listen on [default: 127.0.0.1:8000]; not used when systemd passes a listening socket (LISTEN_FDS, ticketd.socket)'
            cand --config 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]'
            cand --database 'Database URL: sqlite://PATH or postgres://USER@HOST/DB'
            cand --data-dir 'Directory for the SQLite database and other state'
            cand --blob-store 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]'
            cand --log-format 'Log format [default: text]'
            cand --no-auth 'Turn authentication off (every request may do everything); refused unless listening on a loopback address'
            cand --init 'Start with a new, empty database even though the data dir shows an earlier one (uploaded blobs, a leftover -wal file); without it, an empty or missing database next to those is refused as lost'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketd;migrate'= {
            cand --config 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]'
            cand --database 'Database URL: sqlite://PATH or postgres://USER@HOST/DB'
            cand --data-dir 'Directory for the SQLite database and other state'
            cand --blob-store 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]'
            cand --log-format 'Log format [default: text]'
            cand --init 'Migrate an empty or missing database even though the data dir shows an earlier one (see `serve --init`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketd;check'= {
            cand --config 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]'
            cand --database 'Database URL: sqlite://PATH or postgres://USER@HOST/DB'
            cand --data-dir 'Directory for the SQLite database and other state'
            cand --blob-store 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]'
            cand --log-format 'Log format [default: text]'
            cand --full 'Run SQLite''s full integrity_check (reads every page and compares every index with its table) instead of the quicker quick_check'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketd;gc'= {
            cand --grace 'Keep blobs uploaded or referenced less than this long ago (at least 1h): a submit uploads its files before the bundle that references them'
            cand --config 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]'
            cand --database 'Database URL: sqlite://PATH or postgres://USER@HOST/DB'
            cand --data-dir 'Directory for the SQLite database and other state'
            cand --blob-store 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]'
            cand --log-format 'Log format [default: text]'
            cand --dry-run 'Say what would be removed, and remove nothing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketd;backup'= {
            cand --to 'Where to write: a new file (an existing one is refused), or a directory (an existing one, or a path ending in /) to hold a timestamped ticketd-YYYYMMDDTHHMMSSZ.db'
            cand --keep 'With a directory: after the backup, remove the oldest of the ticketd-YYYYMMDDTHHMMSSZ.db snapshots there beyond the newest N (never other files)'
            cand --config 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]'
            cand --database 'Database URL: sqlite://PATH or postgres://USER@HOST/DB'
            cand --data-dir 'Directory for the SQLite database and other state'
            cand --blob-store 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]'
            cand --log-format 'Log format [default: text]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketd;token'= {
            cand --config 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]'
            cand --database 'Database URL: sqlite://PATH or postgres://USER@HOST/DB'
            cand --data-dir 'Directory for the SQLite database and other state'
            cand --blob-store 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]'
            cand --log-format 'Log format [default: text]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create a token and print it, once, alone on the last line of stdout'
            cand list 'List tokens (never their secrets)'
            cand rotate 'Give a token a new secret, printed once like create''s: same name, role and owner; the old secret stops working at once'
            cand revoke 'Revoke a token by name; it stops working at once'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ticketd;token;create'= {
            cand --name 'A unique name; events record it as their actor'
            cand --role 'developer (submits and queues), lander (moves tickets) or admin (everything)'
            cand --email 'Bind a developer token to this owner address: it may then create, queue and add artifacts only to tickets of this owner. Without it a developer token may act for any owner. Developer tokens only'
            cand --expires 'When the token stops working: a duration from now (90d, 12h, 30s, "1w 2d"), a date (2027-03-01, at 00:00 UTC) or an RFC 3339 time (2027-03-01T12:00:00Z, 2027-03-01T12:00:00+01:00). Default: never'
            cand --config 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]'
            cand --database 'Database URL: sqlite://PATH or postgres://USER@HOST/DB'
            cand --data-dir 'Directory for the SQLite database and other state'
            cand --blob-store 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]'
            cand --log-format 'Log format [default: text]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketd;token;list'= {
            cand --config 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]'
            cand --database 'Database URL: sqlite://PATH or postgres://USER@HOST/DB'
            cand --data-dir 'Directory for the SQLite database and other state'
            cand --blob-store 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]'
            cand --log-format 'Log format [default: text]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketd;token;rotate'= {
            cand --expires 'The new expiry, as create''s --expires takes it. Default: the same lifetime from now as the old secret had (none if it had none)'
            cand --config 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]'
            cand --database 'Database URL: sqlite://PATH or postgres://USER@HOST/DB'
            cand --data-dir 'Directory for the SQLite database and other state'
            cand --blob-store 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]'
            cand --log-format 'Log format [default: text]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketd;token;revoke'= {
            cand --config 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]'
            cand --database 'Database URL: sqlite://PATH or postgres://USER@HOST/DB'
            cand --data-dir 'Directory for the SQLite database and other state'
            cand --blob-store 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]'
            cand --log-format 'Log format [default: text]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketd;token;help'= {
            cand create 'Create a token and print it, once, alone on the last line of stdout'
            cand list 'List tokens (never their secrets)'
            cand rotate 'Give a token a new secret, printed once like create''s: same name, role and owner; the old secret stops working at once'
            cand revoke 'Revoke a token by name; it stops working at once'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ticketd;token;help;create'= {
        }
        &'ticketd;token;help;list'= {
        }
        &'ticketd;token;help;rotate'= {
        }
        &'ticketd;token;help;revoke'= {
        }
        &'ticketd;token;help;help'= {
        }
        &'ticketd;export'= {
            cand --output 'Write to FILE (made beside it under a temporary name, renamed when complete) instead of stdout'
            cand --blobs 'Also copy every blob a record references into DIR, laid out as the blob store (DIR/ab/abcdef…)'
            cand --config 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]'
            cand --database 'Database URL: sqlite://PATH or postgres://USER@HOST/DB'
            cand --data-dir 'Directory for the SQLite database and other state'
            cand --blob-store 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]'
            cand --log-format 'Log format [default: text]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketd;import'= {
            cand --input 'Read the export from FILE instead of stdin'
            cand --blobs 'Also copy the blobs of DIR (as `export --blobs` wrote them) into the data dir''s blob store, checking each one''s SHA-256'
            cand --config 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]'
            cand --database 'Database URL: sqlite://PATH or postgres://USER@HOST/DB'
            cand --data-dir 'Directory for the SQLite database and other state'
            cand --blob-store 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]'
            cand --log-format 'Log format [default: text]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketd;help'= {
            cand serve 'Serve the REST API (migrating the database first, unless migrate_on_start = false)'
            cand migrate 'Apply database migrations and exit'
            cand check 'Print every setting as serve would use it, then check that the data dir and the database exist, that the database is reachable, migrated and sound (SQLite''s quick_check); writes nothing'
            cand gc 'Remove uploaded blobs that no artifact or ticket references and that were not used for the grace period (uploads whose bundle never came)'
            cand backup 'Write a consistent copy of the SQLite database while `serve` runs and writes (VACUUM INTO), checked with quick_check; the blobs are copied after it (docs/operations.md, "Back up and restore")'
            cand token 'Create, list, rotate and revoke API tokens'
            cand export 'Write every record of the database (resources, history, token hashes) as JSON Lines, from one snapshot, to move it to another database or backend'
            cand import 'Load an export into an empty database (migrating a new one first), in one transaction: a non-empty database or a malformed line is refused and nothing is written'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ticketd;help;serve'= {
        }
        &'ticketd;help;migrate'= {
        }
        &'ticketd;help;check'= {
        }
        &'ticketd;help;gc'= {
        }
        &'ticketd;help;backup'= {
        }
        &'ticketd;help;token'= {
            cand create 'Create a token and print it, once, alone on the last line of stdout'
            cand list 'List tokens (never their secrets)'
            cand rotate 'Give a token a new secret, printed once like create''s: same name, role and owner; the old secret stops working at once'
            cand revoke 'Revoke a token by name; it stops working at once'
        }
        &'ticketd;help;token;create'= {
        }
        &'ticketd;help;token;list'= {
        }
        &'ticketd;help;token;rotate'= {
        }
        &'ticketd;help;token;revoke'= {
        }
        &'ticketd;help;export'= {
        }
        &'ticketd;help;import'= {
        }
        &'ticketd;help;help'= {
        }
    ]
    $completions[$command]
}
