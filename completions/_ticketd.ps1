
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'ticketd' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'ticketd'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'ticketd' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Database URL: sqlite://PATH or postgres://USER@HOST/DB')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Directory for the SQLite database and other state')
            [CompletionResult]::new('--blob-store', '--blob-store', [CompletionResultType]::ParameterName, 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [default: text]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the REST API (migrating the database first, unless migrate_on_start = false)')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Apply database migrations and exit')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Print every setting as serve would use it, then check that the data dir and the database exist, that the database is reachable, migrated and sound (SQLite''s quick_check); writes nothing')
            [CompletionResult]::new('gc', 'gc', [CompletionResultType]::ParameterValue, 'Remove uploaded blobs that no artifact or ticket references and that were not used for the grace period (uploads whose bundle never came)')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Write a consistent copy of the SQLite database while `serve` runs and writes (VACUUM INTO), checked with quick_check; the blobs are copied after it (docs/operations.md, "Back up and restore")')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Create, list, rotate and revoke API tokens')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write every record of the database (resources, history, token hashes) as JSON Lines, from one snapshot, to move it to another database or backend')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Load an export into an empty database (migrating a new one first), in one transaction: a non-empty database or a malformed line is refused and nothing is written')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ticketd;serve' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on [default: 127.0.0.1:8000]; not used when systemd passes a listening socket (LISTEN_FDS, ticketd.socket)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Database URL: sqlite://PATH or postgres://USER@HOST/DB')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Directory for the SQLite database and other state')
            [CompletionResult]::new('--blob-store', '--blob-store', [CompletionResultType]::ParameterName, 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [default: text]')
            [CompletionResult]::new('--no-auth', '--no-auth', [CompletionResultType]::ParameterName, 'Turn authentication off (every request may do everything); refused unless listening on a loopback address')
            [CompletionResult]::new('--init', '--init', [CompletionResultType]::ParameterName, 'Start with a new, empty database even though the data dir shows an earlier one (uploaded blobs, a leftover -wal file); without it, an empty or missing database next to those is refused as lost')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketd;migrate' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Database URL: sqlite://PATH or postgres://USER@HOST/DB')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Directory for the SQLite database and other state')
            [CompletionResult]::new('--blob-store', '--blob-store', [CompletionResultType]::ParameterName, 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [default: text]')
            [CompletionResult]::new('--init', '--init', [CompletionResultType]::ParameterName, 'Migrate an empty or missing database even though the data dir shows an earlier one (see `serve --init`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketd;check' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Database URL: sqlite://PATH or postgres://USER@HOST/DB')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Directory for the SQLite database and other state')
            [CompletionResult]::new('--blob-store', '--blob-store', [CompletionResultType]::ParameterName, 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [default: text]')
            [CompletionResult]::new('--full', '--full', [CompletionResultType]::ParameterName, 'Run SQLite''s full integrity_check (reads every page and compares every index with its table) instead of the quicker quick_check')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketd;gc' {
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'Keep blobs uploaded or referenced less than this long ago (at least 1h): a submit uploads its files before the bundle that references them')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Database URL: sqlite://PATH or postgres://USER@HOST/DB')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Directory for the SQLite database and other state')
            [CompletionResult]::new('--blob-store', '--blob-store', [CompletionResultType]::ParameterName, 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [default: text]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would be removed, and remove nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketd;backup' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Where to write: a new file (an existing one is refused), or a directory (an existing one, or a path ending in /) to hold a timestamped ticketd-YYYYMMDDTHHMMSSZ.db')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'With a directory: after the backup, remove the oldest of the ticketd-YYYYMMDDTHHMMSSZ.db snapshots there beyond the newest N (never other files)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Database URL: sqlite://PATH or postgres://USER@HOST/DB')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Directory for the SQLite database and other state')
            [CompletionResult]::new('--blob-store', '--blob-store', [CompletionResultType]::ParameterName, 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [default: text]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketd;token' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Database URL: sqlite://PATH or postgres://USER@HOST/DB')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Directory for the SQLite database and other state')
            [CompletionResult]::new('--blob-store', '--blob-store', [CompletionResultType]::ParameterName, 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [default: text]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a token and print it, once, alone on the last line of stdout')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List tokens (never their secrets)')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Give a token a new secret, printed once like create''s: same name, role and owner; the old secret stops working at once')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a token by name; it stops working at once')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ticketd;token;create' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'A unique name; events record it as their actor')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'developer (submits and queues), lander (moves tickets) or admin (everything)')
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'Bind a developer token to this owner address: it may then create, queue and add artifacts only to tickets of this owner. Without it a developer token may act for any owner. Developer tokens only')
            [CompletionResult]::new('--expires', '--expires', [CompletionResultType]::ParameterName, 'When the token stops working: a duration from now (90d, 12h, 30s, "1w 2d"), a date (2027-03-01, at 00:00 UTC) or an RFC 3339 time (2027-03-01T12:00:00Z, 2027-03-01T12:00:00+01:00). Default: never')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Database URL: sqlite://PATH or postgres://USER@HOST/DB')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Directory for the SQLite database and other state')
            [CompletionResult]::new('--blob-store', '--blob-store', [CompletionResultType]::ParameterName, 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [default: text]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketd;token;list' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Database URL: sqlite://PATH or postgres://USER@HOST/DB')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Directory for the SQLite database and other state')
            [CompletionResult]::new('--blob-store', '--blob-store', [CompletionResultType]::ParameterName, 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [default: text]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketd;token;rotate' {
            [CompletionResult]::new('--expires', '--expires', [CompletionResultType]::ParameterName, 'The new expiry, as create''s --expires takes it. Default: the same lifetime from now as the old secret had (none if it had none)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Database URL: sqlite://PATH or postgres://USER@HOST/DB')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Directory for the SQLite database and other state')
            [CompletionResult]::new('--blob-store', '--blob-store', [CompletionResultType]::ParameterName, 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [default: text]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketd;token;revoke' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Database URL: sqlite://PATH or postgres://USER@HOST/DB')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Directory for the SQLite database and other state')
            [CompletionResult]::new('--blob-store', '--blob-store', [CompletionResultType]::ParameterName, 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [default: text]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketd;token;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a token and print it, once, alone on the last line of stdout')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List tokens (never their secrets)')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Give a token a new secret, printed once like create''s: same name, role and owner; the old secret stops working at once')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a token by name; it stops working at once')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ticketd;token;help;create' {
            break
        }
        'ticketd;token;help;list' {
            break
        }
        'ticketd;token;help;rotate' {
            break
        }
        'ticketd;token;help;revoke' {
            break
        }
        'ticketd;token;help;help' {
            break
        }
        'ticketd;export' {
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE (made beside it under a temporary name, renamed when complete) instead of stdout')
            [CompletionResult]::new('--blobs', '--blobs', [CompletionResultType]::ParameterName, 'Also copy every blob a record references into DIR, laid out as the blob store (DIR/ab/abcdef…)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Database URL: sqlite://PATH or postgres://USER@HOST/DB')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Directory for the SQLite database and other state')
            [CompletionResult]::new('--blob-store', '--blob-store', [CompletionResultType]::ParameterName, 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [default: text]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketd;import' {
            [CompletionResult]::new('--input', '--input', [CompletionResultType]::ParameterName, 'Read the export from FILE instead of stdin')
            [CompletionResult]::new('--blobs', '--blobs', [CompletionResultType]::ParameterName, 'Also copy the blobs of DIR (as `export --blobs` wrote them) into the data dir''s blob store, checking each one''s SHA-256')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'TOML config file [default: /etc/ticketd/config.toml if it exists, or the file TICKETD_DEFAULT_CONFIG names]')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Database URL: sqlite://PATH or postgres://USER@HOST/DB')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Directory for the SQLite database and other state')
            [CompletionResult]::new('--blob-store', '--blob-store', [CompletionResultType]::ParameterName, 'Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default: DATA_DIR/blobs]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format [default: text]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketd;help' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the REST API (migrating the database first, unless migrate_on_start = false)')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Apply database migrations and exit')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Print every setting as serve would use it, then check that the data dir and the database exist, that the database is reachable, migrated and sound (SQLite''s quick_check); writes nothing')
            [CompletionResult]::new('gc', 'gc', [CompletionResultType]::ParameterValue, 'Remove uploaded blobs that no artifact or ticket references and that were not used for the grace period (uploads whose bundle never came)')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Write a consistent copy of the SQLite database while `serve` runs and writes (VACUUM INTO), checked with quick_check; the blobs are copied after it (docs/operations.md, "Back up and restore")')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Create, list, rotate and revoke API tokens')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write every record of the database (resources, history, token hashes) as JSON Lines, from one snapshot, to move it to another database or backend')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Load an export into an empty database (migrating a new one first), in one transaction: a non-empty database or a malformed line is refused and nothing is written')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ticketd;help;serve' {
            break
        }
        'ticketd;help;migrate' {
            break
        }
        'ticketd;help;check' {
            break
        }
        'ticketd;help;gc' {
            break
        }
        'ticketd;help;backup' {
            break
        }
        'ticketd;help;token' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a token and print it, once, alone on the last line of stdout')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List tokens (never their secrets)')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Give a token a new secret, printed once like create''s: same name, role and owner; the old secret stops working at once')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a token by name; it stops working at once')
            break
        }
        'ticketd;help;token;create' {
            break
        }
        'ticketd;help;token;list' {
            break
        }
        'ticketd;help;token;rotate' {
            break
        }
        'ticketd;help;token;revoke' {
            break
        }
        'ticketd;help;export' {
            break
        }
        'ticketd;help;import' {
            break
        }
        'ticketd;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
