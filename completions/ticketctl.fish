# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_ticketctl_global_optspecs
    string join \n server= token= json no-input q/quiet v/verbose utc h/help V/version
end

function __fish_ticketctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_ticketctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_ticketctl_using_subcommand
    set -l cmd (__fish_ticketctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c ticketctl -n "__fish_ticketctl_needs_command" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_needs_command" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_needs_command" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_needs_command" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_needs_command" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_needs_command" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_needs_command" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ticketctl -n "__fish_ticketctl_needs_command" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_needs_command" -f -a "submit" -d 'Submit a change: one ticket with one subticket per upload, in one call'
complete -c ticketctl -n "__fish_ticketctl_needs_command" -f -a "ticket" -d 'Tickets: list, show, create, complete, fail'
complete -c ticketctl -n "__fish_ticketctl_needs_command" -f -a "watch" -d 'Follow a ticket as it moves, one line per change, until it completes or fails'
complete -c ticketctl -n "__fish_ticketctl_needs_command" -f -a "spu" -d 'Source package uploads, one at a time (`submit` makes them for you)'
complete -c ticketctl -n "__fish_ticketctl_needs_command" -f -a "subticket" -d 'Subtickets, one at a time (`submit` makes them for you)'
complete -c ticketctl -n "__fish_ticketctl_needs_command" -f -a "status" -d 'Move a ticket or subticket through the workflow (for landers)'
complete -c ticketctl -n "__fish_ticketctl_needs_command" -f -a "artifact" -d 'Attach artifacts (logs, results, images, files) to tickets and subtickets, and download them'
complete -c ticketctl -n "__fish_ticketctl_needs_command" -f -a "package" -d 'Source and binary packages of the project manager'
complete -c ticketctl -n "__fish_ticketctl_needs_command" -f -a "person" -d 'People and teams'
complete -c ticketctl -n "__fish_ticketctl_needs_command" -f -a "config" -d 'Show or change the config file'
complete -c ticketctl -n "__fish_ticketctl_needs_command" -f -a "login" -d 'Store a new token after checking it with the server; the old one is replaced only if the new one works'
complete -c ticketctl -n "__fish_ticketctl_needs_command" -f -a "whoami" -d 'Show the server, the token\'s name and role, and where each setting came from'
complete -c ticketctl -n "__fish_ticketctl_needs_command" -f -a "logout" -d 'Forget the saved token'
complete -c ticketctl -n "__fish_ticketctl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c ticketctl -n "__fish_ticketctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand submit" -l title -d 'Ticket title [default: the first change in a .changes\' changelog entry; else asked for on a terminal]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand submit" -l description -d 'Ticket description [default: a .changes\' changelog entry; else asked for on a terminal]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand submit" -l bug -d 'Launchpad bug number [default: the first of the upload\'s Launchpad-Bugs-Fixed, else Closes]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand submit" -l owner -d 'Owner address [default: the token\'s owner if it is bound to one, else the upload\'s Changed-By, else Maintainer, else the `owner` setting, else DEBEMAIL]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand submit" -l assignee -d 'Assignee of every subticket [default: the owner]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand submit" -l ppa -d 'PPA dedicated to the ticket' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand submit" -l base-image -d 'Image to develop and test against' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand submit" -l timeout -d 'With --wait: give up after this long, e.g. 30m, 2h (exit 7)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand submit" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand submit" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand submit" -l no-queue -d 'Create the ticket at step 0 (New) instead of queueing it'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand submit" -l resubmit -d 'Submit .changes or .dsc uploads even if a ticket has them already'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand submit" -l wait -d 'Then follow the new ticket as `ticketctl watch` does (exit 0, 6 or 7)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand submit" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand submit" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand submit" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand submit" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand submit" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand submit" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand submit" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and not __fish_seen_subcommand_from list show logs create complete fail help" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and not __fish_seen_subcommand_from list show logs create complete fail help" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and not __fish_seen_subcommand_from list show logs create complete fail help" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and not __fish_seen_subcommand_from list show logs create complete fail help" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and not __fish_seen_subcommand_from list show logs create complete fail help" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and not __fish_seen_subcommand_from list show logs create complete fail help" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and not __fish_seen_subcommand_from list show logs create complete fail help" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and not __fish_seen_subcommand_from list show logs create complete fail help" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and not __fish_seen_subcommand_from list show logs create complete fail help" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and not __fish_seen_subcommand_from list show logs create complete fail help" -f -a "list" -d 'List tickets'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and not __fish_seen_subcommand_from list show logs create complete fail help" -f -a "show" -d 'Show everything about a ticket: failure report, subtickets, artifacts, history'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and not __fish_seen_subcommand_from list show logs create complete fail help" -f -a "logs" -d 'Print the logs of a failed ticket: its failed subticket\'s LOGS and its own'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and not __fish_seen_subcommand_from list show logs create complete fail help" -f -a "create" -d 'Create a ticket alone, at step New (`submit` makes the ticket, its uploads and subtickets in one go)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and not __fish_seen_subcommand_from list show logs create complete fail help" -f -a "complete" -d 'Mark a ticket Complete (1000/1000), and its unfinished subtickets with it'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and not __fish_seen_subcommand_from list show logs create complete fail help" -f -a "fail" -d 'Mark a ticket Failed at the step it is in'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and not __fish_seen_subcommand_from list show logs create complete fail help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from list" -l step -d 'Only tickets at this step (name or code)' -r -f -a "new\t''
queued\t''
package-building\t''
image-building\t''
image-testing\t''
package-publishing\t''
failed\t''
complete\t''"
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from list" -l owner -d 'Only tickets of this owner' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from list" -l sort -d 'Sort by: created, updated or id (newest first), title (A to Z)' -r -f -a "created\t''
updated\t''
id\t''
title\t''"
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from list" -l limit -d 'At most this many (1 or more)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from list" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from list" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from list" -l open -d 'Only tickets neither Failed nor Complete'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from list" -l reverse -d 'The other way round: oldest (or Z) first'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from list" -l all -d 'Every matching ticket, all pages'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from list" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from list" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from show" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from show" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from show" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from show" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from logs" -l dir -d 'Save them as files instead, DIR/subticket-N/NAME and DIR/ticket-N/NAME' -r -F
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from logs" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from logs" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from logs" -l all -d 'The LOGS of the ticket and of every subticket, failed or not'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from logs" -l clobber -d 'Replace files under DIR that exist'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from logs" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from logs" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from logs" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from logs" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from logs" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from logs" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from logs" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from create" -l title -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from create" -l owner -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from create" -l description -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from create" -l bug -d 'Launchpad bug number' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from create" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from create" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from create" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from create" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from create" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from create" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from complete" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from complete" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from complete" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from complete" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from complete" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from complete" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from complete" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from complete" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from complete" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from fail" -l message -d 'Why it failed' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from fail" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from fail" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from fail" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from fail" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from fail" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from fail" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from fail" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from fail" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from fail" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from help" -f -a "list" -d 'List tickets'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show everything about a ticket: failure report, subtickets, artifacts, history'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from help" -f -a "logs" -d 'Print the logs of a failed ticket: its failed subticket\'s LOGS and its own'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a ticket alone, at step New (`submit` makes the ticket, its uploads and subtickets in one go)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from help" -f -a "complete" -d 'Mark a ticket Complete (1000/1000), and its unfinished subtickets with it'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from help" -f -a "fail" -d 'Mark a ticket Failed at the step it is in'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand ticket; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand watch" -l timeout -d 'Give up after this long, e.g. 90s, 30m, 2h (exit 7)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand watch" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand watch" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand watch" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand watch" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand watch" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand watch" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand watch" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand watch" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand watch" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand spu; and not __fish_seen_subcommand_from create help" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand spu; and not __fish_seen_subcommand_from create help" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand spu; and not __fish_seen_subcommand_from create help" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand spu; and not __fish_seen_subcommand_from create help" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand spu; and not __fish_seen_subcommand_from create help" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand spu; and not __fish_seen_subcommand_from create help" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand spu; and not __fish_seen_subcommand_from create help" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand spu; and not __fish_seen_subcommand_from create help" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand spu; and not __fish_seen_subcommand_from create help" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand spu; and not __fish_seen_subcommand_from create help" -f -a "create" -d 'Create a source package upload'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand spu; and not __fish_seen_subcommand_from create help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand spu; and __fish_seen_subcommand_from create" -l source -d 'Source package name or id' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand spu; and __fish_seen_subcommand_from create" -l version -d 'Debian version' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand spu; and __fish_seen_subcommand_from create" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand spu; and __fish_seen_subcommand_from create" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand spu; and __fish_seen_subcommand_from create" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand spu; and __fish_seen_subcommand_from create" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand spu; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand spu; and __fish_seen_subcommand_from create" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand spu; and __fish_seen_subcommand_from create" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand spu; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand spu; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a source package upload'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand spu; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand subticket; and not __fish_seen_subcommand_from create help" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand subticket; and not __fish_seen_subcommand_from create help" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand subticket; and not __fish_seen_subcommand_from create help" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand subticket; and not __fish_seen_subcommand_from create help" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand subticket; and not __fish_seen_subcommand_from create help" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand subticket; and not __fish_seen_subcommand_from create help" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand subticket; and not __fish_seen_subcommand_from create help" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand subticket; and not __fish_seen_subcommand_from create help" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand subticket; and not __fish_seen_subcommand_from create help" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand subticket; and not __fish_seen_subcommand_from create help" -f -a "create" -d 'Add a subticket to a ticket still at step 0'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand subticket; and not __fish_seen_subcommand_from create help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand subticket; and __fish_seen_subcommand_from create" -l ticket -d 'Ticket id' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand subticket; and __fish_seen_subcommand_from create" -l spu -d 'Source package upload id' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand subticket; and __fish_seen_subcommand_from create" -l assignee -d 'Assignee [default: the ticket\'s owner]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand subticket; and __fish_seen_subcommand_from create" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand subticket; and __fish_seen_subcommand_from create" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand subticket; and __fish_seen_subcommand_from create" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand subticket; and __fish_seen_subcommand_from create" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand subticket; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand subticket; and __fish_seen_subcommand_from create" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand subticket; and __fish_seen_subcommand_from create" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand subticket; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand subticket; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand subticket; and __fish_seen_subcommand_from help" -f -a "create" -d 'Add a subticket to a ticket still at step 0'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand subticket; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand status; and not __fish_seen_subcommand_from set help" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand status; and not __fish_seen_subcommand_from set help" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand status; and not __fish_seen_subcommand_from set help" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand status; and not __fish_seen_subcommand_from set help" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand status; and not __fish_seen_subcommand_from set help" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand status; and not __fish_seen_subcommand_from set help" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand status; and not __fish_seen_subcommand_from set help" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand status; and not __fish_seen_subcommand_from set help" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand status; and not __fish_seen_subcommand_from set help" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand status; and not __fish_seen_subcommand_from set help" -f -a "set" -d 'Set the step and status of a ticket (or, with --subticket, a subticket)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand status; and not __fish_seen_subcommand_from set help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand status; and __fish_seen_subcommand_from set" -l subticket -d 'Subticket id, instead of a ticket' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand status; and __fish_seen_subcommand_from set" -l step -d 'Step, by name (image-testing) or code (400)' -r -f -a "new\t''
queued\t''
package-building\t''
image-building\t''
image-testing\t''
package-publishing\t''
failed\t''
complete\t''"
complete -c ticketctl -n "__fish_ticketctl_using_subcommand status; and __fish_seen_subcommand_from set" -l status -d 'Status, by name (in-progress) or code (100)' -r -f -a "not-started\t''
in-progress\t''
succeeded\t''
failed\t''
complete\t''"
complete -c ticketctl -n "__fish_ticketctl_using_subcommand status; and __fish_seen_subcommand_from set" -l message -d 'Why (kept in the history)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand status; and __fish_seen_subcommand_from set" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand status; and __fish_seen_subcommand_from set" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand status; and __fish_seen_subcommand_from set" -l force -d 'Override the workflow rules (admin tokens only)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand status; and __fish_seen_subcommand_from set" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand status; and __fish_seen_subcommand_from set" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand status; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand status; and __fish_seen_subcommand_from set" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand status; and __fish_seen_subcommand_from set" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand status; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand status; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand status; and __fish_seen_subcommand_from help" -f -a "set" -d 'Set the step and status of a ticket (or, with --subticket, a subticket)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand status; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and not __fish_seen_subcommand_from add get help" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and not __fish_seen_subcommand_from add get help" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and not __fish_seen_subcommand_from add get help" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and not __fish_seen_subcommand_from add get help" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and not __fish_seen_subcommand_from add get help" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and not __fish_seen_subcommand_from add get help" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and not __fish_seen_subcommand_from add get help" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and not __fish_seen_subcommand_from add get help" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and not __fish_seen_subcommand_from add get help" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and not __fish_seen_subcommand_from add get help" -f -a "add" -d 'Attach an artifact, by reference or by uploading a file'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and not __fish_seen_subcommand_from add get help" -f -a "get" -d 'Download an artifact: a file of the server\'s blob store, checked against its SHA-256, or what its URL names'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and not __fish_seen_subcommand_from add get help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from add" -l ticket -d 'Ticket id' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from add" -l subticket -d 'Subticket id' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from add" -l type -d 'Artifact type (tickets: RESULTS, LOGS, IMAGE; subtickets: SPU, RESULTS, LOGS)' -r -f -a "SPU\t''
RESULTS\t''
LOGS\t''
IMAGE\t''"
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from add" -l name -d 'Artifact name' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from add" -l reference -d 'An absolute URL where the artifact lives' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from add" -l file -d 'A file to upload to the server\'s blob store' -r -F
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from add" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from add" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from add" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from add" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from add" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from get" -s o -l output -d 'Write to FILE (DIR/NAME if a directory), stdout with `-` [default: NAME]' -r -F
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from get" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from get" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from get" -l subticket -d 'ID is a subticket artifact\'s id (`ticket show` lists both kinds)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from get" -l clobber -d 'Replace FILE if it exists'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from get" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from get" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from get" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from get" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from get" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from get" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from help" -f -a "add" -d 'Attach an artifact, by reference or by uploading a file'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from help" -f -a "get" -d 'Download an artifact: a file of the server\'s blob store, checked against its SHA-256, or what its URL names'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand artifact; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and not __fish_seen_subcommand_from list show add import help" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and not __fish_seen_subcommand_from list show add import help" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and not __fish_seen_subcommand_from list show add import help" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and not __fish_seen_subcommand_from list show add import help" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and not __fish_seen_subcommand_from list show add import help" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and not __fish_seen_subcommand_from list show add import help" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and not __fish_seen_subcommand_from list show add import help" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and not __fish_seen_subcommand_from list show add import help" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and not __fish_seen_subcommand_from list show add import help" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and not __fish_seen_subcommand_from list show add import help" -f -a "list" -d 'List source packages (or binary packages with --binary)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and not __fish_seen_subcommand_from list show add import help" -f -a "show" -d 'Show a source package with its binaries and uploads'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and not __fish_seen_subcommand_from list show add import help" -f -a "add" -d 'Add a source package'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and not __fish_seen_subcommand_from list show add import help" -f -a "import" -d 'Import the project manager\'s package list (admin)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and not __fish_seen_subcommand_from list show add import help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from list" -l name -d 'Only names starting with this' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from list" -l limit -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from list" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from list" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from list" -l binary -d 'List binary packages instead'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from list" -l all -d 'All pages'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from list" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from list" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from show" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from show" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from show" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from show" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from add" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from add" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from add" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from add" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from add" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from import" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from import" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from import" -l prune -d 'Also remove binaries that are not listed'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from import" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from import" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from import" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from import" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from help" -f -a "list" -d 'List source packages (or binary packages with --binary)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a source package with its binaries and uploads'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a source package'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from help" -f -a "import" -d 'Import the project manager\'s package list (admin)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand package; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and not __fish_seen_subcommand_from list add help" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and not __fish_seen_subcommand_from list add help" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and not __fish_seen_subcommand_from list add help" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and not __fish_seen_subcommand_from list add help" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and not __fish_seen_subcommand_from list add help" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and not __fish_seen_subcommand_from list add help" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and not __fish_seen_subcommand_from list add help" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and not __fish_seen_subcommand_from list add help" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and not __fish_seen_subcommand_from list add help" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and not __fish_seen_subcommand_from list add help" -f -a "list" -d 'List people and teams'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and not __fish_seen_subcommand_from list add help" -f -a "add" -d 'Add a person or team (admin)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and not __fish_seen_subcommand_from list add help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from list" -l name -d 'Names starting with this (case-insensitive)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from list" -l email -d 'Addresses starting with this (case-insensitive)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from list" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from list" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from list" -l teams -d 'Only teams'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from list" -l people -d 'Only people'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from list" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from list" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from add" -l name -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from add" -l email -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from add" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from add" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from add" -l team -d 'It is a team'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from add" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from add" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from add" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from help" -f -a "list" -d 'List people and teams'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a person or team (admin)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand person; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and not __fish_seen_subcommand_from set show help" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and not __fish_seen_subcommand_from set show help" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and not __fish_seen_subcommand_from set show help" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and not __fish_seen_subcommand_from set show help" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and not __fish_seen_subcommand_from set show help" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and not __fish_seen_subcommand_from set show help" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and not __fish_seen_subcommand_from set show help" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and not __fish_seen_subcommand_from set show help" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and not __fish_seen_subcommand_from set show help" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and not __fish_seen_subcommand_from set show help" -f -a "set" -d 'Set a setting: server, token or owner'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and not __fish_seen_subcommand_from set show help" -f -a "show" -d 'Show the settings in effect and where the config file is'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and not __fish_seen_subcommand_from set show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and __fish_seen_subcommand_from set" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and __fish_seen_subcommand_from set" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and __fish_seen_subcommand_from set" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and __fish_seen_subcommand_from set" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and __fish_seen_subcommand_from set" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and __fish_seen_subcommand_from set" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and __fish_seen_subcommand_from show" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and __fish_seen_subcommand_from show" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and __fish_seen_subcommand_from show" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and __fish_seen_subcommand_from show" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "set" -d 'Set a setting: server, token or owner'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show the settings in effect and where the config file is'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand login" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand login" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand login" -l with-token -d 'Read the token from stdin (one line)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand login" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand login" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand login" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand login" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand login" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand login" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand login" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand whoami" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand whoami" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand whoami" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand whoami" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand whoami" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand whoami" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand whoami" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand whoami" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand whoami" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand logout" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand logout" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand logout" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand logout" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand logout" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand logout" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand logout" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand logout" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand logout" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand completions" -l server -d 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand completions" -l token -d 'API token (see `ticketctl login`)' -r
complete -c ticketctl -n "__fish_ticketctl_using_subcommand completions" -l json -d 'Print the server\'s JSON instead of tables'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand completions" -l no-input -d 'Never prompt; fail with a usage error where input is missing'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand completions" -s q -l quiet -d 'Print less (no progress bars)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand completions" -s v -l verbose -d 'Print more (each request)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand completions" -l utc -d 'Show times in UTC instead of the local zone'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand completions" -s h -l help -d 'Print help'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and not __fish_seen_subcommand_from submit ticket watch spu subticket status artifact package person config login whoami logout completions help" -f -a "submit" -d 'Submit a change: one ticket with one subticket per upload, in one call'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and not __fish_seen_subcommand_from submit ticket watch spu subticket status artifact package person config login whoami logout completions help" -f -a "ticket" -d 'Tickets: list, show, create, complete, fail'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and not __fish_seen_subcommand_from submit ticket watch spu subticket status artifact package person config login whoami logout completions help" -f -a "watch" -d 'Follow a ticket as it moves, one line per change, until it completes or fails'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and not __fish_seen_subcommand_from submit ticket watch spu subticket status artifact package person config login whoami logout completions help" -f -a "spu" -d 'Source package uploads, one at a time (`submit` makes them for you)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and not __fish_seen_subcommand_from submit ticket watch spu subticket status artifact package person config login whoami logout completions help" -f -a "subticket" -d 'Subtickets, one at a time (`submit` makes them for you)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and not __fish_seen_subcommand_from submit ticket watch spu subticket status artifact package person config login whoami logout completions help" -f -a "status" -d 'Move a ticket or subticket through the workflow (for landers)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and not __fish_seen_subcommand_from submit ticket watch spu subticket status artifact package person config login whoami logout completions help" -f -a "artifact" -d 'Attach artifacts (logs, results, images, files) to tickets and subtickets, and download them'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and not __fish_seen_subcommand_from submit ticket watch spu subticket status artifact package person config login whoami logout completions help" -f -a "package" -d 'Source and binary packages of the project manager'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and not __fish_seen_subcommand_from submit ticket watch spu subticket status artifact package person config login whoami logout completions help" -f -a "person" -d 'People and teams'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and not __fish_seen_subcommand_from submit ticket watch spu subticket status artifact package person config login whoami logout completions help" -f -a "config" -d 'Show or change the config file'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and not __fish_seen_subcommand_from submit ticket watch spu subticket status artifact package person config login whoami logout completions help" -f -a "login" -d 'Store a new token after checking it with the server; the old one is replaced only if the new one works'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and not __fish_seen_subcommand_from submit ticket watch spu subticket status artifact package person config login whoami logout completions help" -f -a "whoami" -d 'Show the server, the token\'s name and role, and where each setting came from'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and not __fish_seen_subcommand_from submit ticket watch spu subticket status artifact package person config login whoami logout completions help" -f -a "logout" -d 'Forget the saved token'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and not __fish_seen_subcommand_from submit ticket watch spu subticket status artifact package person config login whoami logout completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and not __fish_seen_subcommand_from submit ticket watch spu subticket status artifact package person config login whoami logout completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and __fish_seen_subcommand_from ticket" -f -a "list" -d 'List tickets'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and __fish_seen_subcommand_from ticket" -f -a "show" -d 'Show everything about a ticket: failure report, subtickets, artifacts, history'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and __fish_seen_subcommand_from ticket" -f -a "logs" -d 'Print the logs of a failed ticket: its failed subticket\'s LOGS and its own'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and __fish_seen_subcommand_from ticket" -f -a "create" -d 'Create a ticket alone, at step New (`submit` makes the ticket, its uploads and subtickets in one go)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and __fish_seen_subcommand_from ticket" -f -a "complete" -d 'Mark a ticket Complete (1000/1000), and its unfinished subtickets with it'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and __fish_seen_subcommand_from ticket" -f -a "fail" -d 'Mark a ticket Failed at the step it is in'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and __fish_seen_subcommand_from spu" -f -a "create" -d 'Create a source package upload'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and __fish_seen_subcommand_from subticket" -f -a "create" -d 'Add a subticket to a ticket still at step 0'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and __fish_seen_subcommand_from status" -f -a "set" -d 'Set the step and status of a ticket (or, with --subticket, a subticket)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and __fish_seen_subcommand_from artifact" -f -a "add" -d 'Attach an artifact, by reference or by uploading a file'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and __fish_seen_subcommand_from artifact" -f -a "get" -d 'Download an artifact: a file of the server\'s blob store, checked against its SHA-256, or what its URL names'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and __fish_seen_subcommand_from package" -f -a "list" -d 'List source packages (or binary packages with --binary)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and __fish_seen_subcommand_from package" -f -a "show" -d 'Show a source package with its binaries and uploads'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and __fish_seen_subcommand_from package" -f -a "add" -d 'Add a source package'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and __fish_seen_subcommand_from package" -f -a "import" -d 'Import the project manager\'s package list (admin)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and __fish_seen_subcommand_from person" -f -a "list" -d 'List people and teams'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and __fish_seen_subcommand_from person" -f -a "add" -d 'Add a person or team (admin)'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "set" -d 'Set a setting: server, token or owner'
complete -c ticketctl -n "__fish_ticketctl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Show the settings in effect and where the config file is'
