
use builtin;
use str;

set edit:completion:arg-completer[ticketctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'ticketctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'ticketctl'= {
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand submit 'Submit a change: one ticket with one subticket per upload, in one call'
            cand ticket 'Tickets: list, show, create, complete, fail'
            cand watch 'Follow a ticket as it moves, one line per change, until it completes or fails'
            cand spu 'Source package uploads, one at a time (`submit` makes them for you)'
            cand subticket 'Subtickets, one at a time (`submit` makes them for you)'
            cand status 'Move a ticket or subticket through the workflow (for landers)'
            cand artifact 'Attach artifacts (logs, results, images, files) to tickets and subtickets, and download them'
            cand package 'Source and binary packages of the project manager'
            cand person 'People and teams'
            cand config 'Show or change the config file'
            cand login 'Store a new token after checking it with the server; the old one is replaced only if the new one works'
            cand whoami 'Show the server, the token''s name and role, and where each setting came from'
            cand logout 'Forget the saved token'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ticketctl;submit'= {
            cand --title 'Ticket title [default: the first change in a .changes'' changelog entry; else asked for on a terminal]'
            cand --description 'Ticket description [default: a .changes'' changelog entry; else asked for on a terminal]'
            cand --bug 'Launchpad bug number [default: the first of the upload''s Launchpad-Bugs-Fixed, else Closes]'
            cand --owner 'Owner address [default: the token''s owner if it is bound to one, else the upload''s Changed-By, else Maintainer, else the `owner` setting, else DEBEMAIL]'
            cand --assignee 'Assignee of every subticket [default: the owner]'
            cand --ppa 'PPA dedicated to the ticket'
            cand --base-image 'Image to develop and test against'
            cand --timeout 'With --wait: give up after this long, e.g. 30m, 2h (exit 7)'
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --no-queue 'Create the ticket at step 0 (New) instead of queueing it'
            cand --resubmit 'Submit .changes or .dsc uploads even if a ticket has them already'
            cand --wait 'Then follow the new ticket as `ticketctl watch` does (exit 0, 6 or 7)'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketctl;ticket'= {
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List tickets'
            cand show 'Show everything about a ticket: failure report, subtickets, artifacts, history'
            cand logs 'Print the logs of a failed ticket: its failed subticket''s LOGS and its own'
            cand create 'Create a ticket alone, at step New (`submit` makes the ticket, its uploads and subtickets in one go)'
            cand complete 'Mark a ticket Complete (1000/1000), and its unfinished subtickets with it'
            cand fail 'Mark a ticket Failed at the step it is in'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ticketctl;ticket;list'= {
            cand --step 'Only tickets at this step (name or code)'
            cand --owner 'Only tickets of this owner'
            cand --sort 'Sort by: created, updated or id (newest first), title (A to Z)'
            cand --limit 'At most this many (1 or more)'
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --open 'Only tickets neither Failed nor Complete'
            cand --reverse 'The other way round: oldest (or Z) first'
            cand --all 'Every matching ticket, all pages'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketctl;ticket;show'= {
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketctl;ticket;logs'= {
            cand --dir 'Save them as files instead, DIR/subticket-N/NAME and DIR/ticket-N/NAME'
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --all 'The LOGS of the ticket and of every subticket, failed or not'
            cand --clobber 'Replace files under DIR that exist'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketctl;ticket;create'= {
            cand --title 'title'
            cand --owner 'owner'
            cand --description 'description'
            cand --bug 'Launchpad bug number'
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketctl;ticket;complete'= {
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketctl;ticket;fail'= {
            cand --message 'Why it failed'
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketctl;ticket;help'= {
            cand list 'List tickets'
            cand show 'Show everything about a ticket: failure report, subtickets, artifacts, history'
            cand logs 'Print the logs of a failed ticket: its failed subticket''s LOGS and its own'
            cand create 'Create a ticket alone, at step New (`submit` makes the ticket, its uploads and subtickets in one go)'
            cand complete 'Mark a ticket Complete (1000/1000), and its unfinished subtickets with it'
            cand fail 'Mark a ticket Failed at the step it is in'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ticketctl;ticket;help;list'= {
        }
        &'ticketctl;ticket;help;show'= {
        }
        &'ticketctl;ticket;help;logs'= {
        }
        &'ticketctl;ticket;help;create'= {
        }
        &'ticketctl;ticket;help;complete'= {
        }
        &'ticketctl;ticket;help;fail'= {
        }
        &'ticketctl;ticket;help;help'= {
        }
        &'ticketctl;watch'= {
            cand --timeout 'Give up after this long, e.g. 90s, 30m, 2h (exit 7)'
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketctl;spu'= {
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create a source package upload'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ticketctl;spu;create'= {
            cand --source 'Source package name or id'
            cand --version 'Debian version'
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ticketctl;spu;help'= {
            cand create 'Create a source package upload'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ticketctl;spu;help;create'= {
        }
        &'ticketctl;spu;help;help'= {
        }
        &'ticketctl;subticket'= {
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Add a subticket to a ticket still at step 0'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ticketctl;subticket;create'= {
            cand --ticket 'Ticket id'
            cand --spu 'Source package upload id'
            cand --assignee 'Assignee [default: the ticket''s owner]'
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketctl;subticket;help'= {
            cand create 'Add a subticket to a ticket still at step 0'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ticketctl;subticket;help;create'= {
        }
        &'ticketctl;subticket;help;help'= {
        }
        &'ticketctl;status'= {
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand set 'Set the step and status of a ticket (or, with --subticket, a subticket)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ticketctl;status;set'= {
            cand --subticket 'Subticket id, instead of a ticket'
            cand --step 'Step, by name (image-testing) or code (400)'
            cand --status 'Status, by name (in-progress) or code (100)'
            cand --message 'Why (kept in the history)'
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --force 'Override the workflow rules (admin tokens only)'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketctl;status;help'= {
            cand set 'Set the step and status of a ticket (or, with --subticket, a subticket)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ticketctl;status;help;set'= {
        }
        &'ticketctl;status;help;help'= {
        }
        &'ticketctl;artifact'= {
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Attach an artifact, by reference or by uploading a file'
            cand get 'Download an artifact: a file of the server''s blob store, checked against its SHA-256, or what its URL names'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ticketctl;artifact;add'= {
            cand --ticket 'Ticket id'
            cand --subticket 'Subticket id'
            cand --type 'Artifact type (tickets: RESULTS, LOGS, IMAGE; subtickets: SPU, RESULTS, LOGS)'
            cand --name 'Artifact name'
            cand --reference 'An absolute URL where the artifact lives'
            cand --file 'A file to upload to the server''s blob store'
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketctl;artifact;get'= {
            cand -o 'Write to FILE (DIR/NAME if a directory), stdout with `-` [default: NAME]'
            cand --output 'Write to FILE (DIR/NAME if a directory), stdout with `-` [default: NAME]'
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --subticket 'ID is a subticket artifact''s id (`ticket show` lists both kinds)'
            cand --clobber 'Replace FILE if it exists'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketctl;artifact;help'= {
            cand add 'Attach an artifact, by reference or by uploading a file'
            cand get 'Download an artifact: a file of the server''s blob store, checked against its SHA-256, or what its URL names'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ticketctl;artifact;help;add'= {
        }
        &'ticketctl;artifact;help;get'= {
        }
        &'ticketctl;artifact;help;help'= {
        }
        &'ticketctl;package'= {
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List source packages (or binary packages with --binary)'
            cand show 'Show a source package with its binaries and uploads'
            cand add 'Add a source package'
            cand import 'Import the project manager''s package list (admin)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ticketctl;package;list'= {
            cand --name 'Only names starting with this'
            cand --limit 'limit'
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --binary 'List binary packages instead'
            cand --all 'All pages'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketctl;package;show'= {
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketctl;package;add'= {
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketctl;package;import'= {
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --prune 'Also remove binaries that are not listed'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketctl;package;help'= {
            cand list 'List source packages (or binary packages with --binary)'
            cand show 'Show a source package with its binaries and uploads'
            cand add 'Add a source package'
            cand import 'Import the project manager''s package list (admin)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ticketctl;package;help;list'= {
        }
        &'ticketctl;package;help;show'= {
        }
        &'ticketctl;package;help;add'= {
        }
        &'ticketctl;package;help;import'= {
        }
        &'ticketctl;package;help;help'= {
        }
        &'ticketctl;person'= {
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List people and teams'
            cand add 'Add a person or team (admin)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ticketctl;person;list'= {
            cand --name 'Names starting with this (case-insensitive)'
            cand --email 'Addresses starting with this (case-insensitive)'
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --teams 'Only teams'
            cand --people 'Only people'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketctl;person;add'= {
            cand --name 'name'
            cand --email 'email'
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --team 'It is a team'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketctl;person;help'= {
            cand list 'List people and teams'
            cand add 'Add a person or team (admin)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ticketctl;person;help;list'= {
        }
        &'ticketctl;person;help;add'= {
        }
        &'ticketctl;person;help;help'= {
        }
        &'ticketctl;config'= {
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand set 'Set a setting: server, token or owner'
            cand show 'Show the settings in effect and where the config file is'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ticketctl;config;set'= {
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketctl;config;show'= {
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketctl;config;help'= {
            cand set 'Set a setting: server, token or owner'
            cand show 'Show the settings in effect and where the config file is'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ticketctl;config;help;set'= {
        }
        &'ticketctl;config;help;show'= {
        }
        &'ticketctl;config;help;help'= {
        }
        &'ticketctl;login'= {
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --with-token 'Read the token from stdin (one line)'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketctl;whoami'= {
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketctl;logout'= {
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketctl;completions'= {
            cand --server 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]'
            cand --token 'API token (see `ticketctl login`)'
            cand --json 'Print the server''s JSON instead of tables'
            cand --no-input 'Never prompt; fail with a usage error where input is missing'
            cand -q 'Print less (no progress bars)'
            cand --quiet 'Print less (no progress bars)'
            cand -v 'Print more (each request)'
            cand --verbose 'Print more (each request)'
            cand --utc 'Show times in UTC instead of the local zone'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'ticketctl;help'= {
            cand submit 'Submit a change: one ticket with one subticket per upload, in one call'
            cand ticket 'Tickets: list, show, create, complete, fail'
            cand watch 'Follow a ticket as it moves, one line per change, until it completes or fails'
            cand spu 'Source package uploads, one at a time (`submit` makes them for you)'
            cand subticket 'Subtickets, one at a time (`submit` makes them for you)'
            cand status 'Move a ticket or subticket through the workflow (for landers)'
            cand artifact 'Attach artifacts (logs, results, images, files) to tickets and subtickets, and download them'
            cand package 'Source and binary packages of the project manager'
            cand person 'People and teams'
            cand config 'Show or change the config file'
            cand login 'Store a new token after checking it with the server; the old one is replaced only if the new one works'
            cand whoami 'Show the server, the token''s name and role, and where each setting came from'
            cand logout 'Forget the saved token'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ticketctl;help;submit'= {
        }
        &'ticketctl;help;ticket'= {
            cand list 'List tickets'
            cand show 'Show everything about a ticket: failure report, subtickets, artifacts, history'
            cand logs 'Print the logs of a failed ticket: its failed subticket''s LOGS and its own'
            cand create 'Create a ticket alone, at step New (`submit` makes the ticket, its uploads and subtickets in one go)'
            cand complete 'Mark a ticket Complete (1000/1000), and its unfinished subtickets with it'
            cand fail 'Mark a ticket Failed at the step it is in'
        }
        &'ticketctl;help;ticket;list'= {
        }
        &'ticketctl;help;ticket;show'= {
        }
        &'ticketctl;help;ticket;logs'= {
        }
        &'ticketctl;help;ticket;create'= {
        }
        &'ticketctl;help;ticket;complete'= {
        }
        &'ticketctl;help;ticket;fail'= {
        }
        &'ticketctl;help;watch'= {
        }
        &'ticketctl;help;spu'= {
            cand create 'Create a source package upload'
        }
        &'ticketctl;help;spu;create'= {
        }
        &'ticketctl;help;subticket'= {
            cand create 'Add a subticket to a ticket still at step 0'
        }
        &'ticketctl;help;subticket;create'= {
        }
        &'ticketctl;help;status'= {
            cand set 'Set the step and status of a ticket (or, with --subticket, a subticket)'
        }
        &'ticketctl;help;status;set'= {
        }
        &'ticketctl;help;artifact'= {
            cand add 'Attach an artifact, by reference or by uploading a file'
            cand get 'Download an artifact: a file of the server''s blob store, checked against its SHA-256, or what its URL names'
        }
        &'ticketctl;help;artifact;add'= {
        }
        &'ticketctl;help;artifact;get'= {
        }
        &'ticketctl;help;package'= {
            cand list 'List source packages (or binary packages with --binary)'
            cand show 'Show a source package with its binaries and uploads'
            cand add 'Add a source package'
            cand import 'Import the project manager''s package list (admin)'
        }
        &'ticketctl;help;package;list'= {
        }
        &'ticketctl;help;package;show'= {
        }
        &'ticketctl;help;package;add'= {
        }
        &'ticketctl;help;package;import'= {
        }
        &'ticketctl;help;person'= {
            cand list 'List people and teams'
            cand add 'Add a person or team (admin)'
        }
        &'ticketctl;help;person;list'= {
        }
        &'ticketctl;help;person;add'= {
        }
        &'ticketctl;help;config'= {
            cand set 'Set a setting: server, token or owner'
            cand show 'Show the settings in effect and where the config file is'
        }
        &'ticketctl;help;config;set'= {
        }
        &'ticketctl;help;config;show'= {
        }
        &'ticketctl;help;login'= {
        }
        &'ticketctl;help;whoami'= {
        }
        &'ticketctl;help;logout'= {
        }
        &'ticketctl;help;completions'= {
        }
        &'ticketctl;help;help'= {
        }
    ]
    $completions[$command]
}
