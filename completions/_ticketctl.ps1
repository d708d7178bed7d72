
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'ticketctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'ticketctl'
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
        'ticketctl' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Submit a change: one ticket with one subticket per upload, in one call')
            [CompletionResult]::new('ticket', 'ticket', [CompletionResultType]::ParameterValue, 'Tickets: list, show, create, complete, fail')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Follow a ticket as it moves, one line per change, until it completes or fails')
            [CompletionResult]::new('spu', 'spu', [CompletionResultType]::ParameterValue, 'Source package uploads, one at a time (`submit` makes them for you)')
            [CompletionResult]::new('subticket', 'subticket', [CompletionResultType]::ParameterValue, 'Subtickets, one at a time (`submit` makes them for you)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Move a ticket or subticket through the workflow (for landers)')
            [CompletionResult]::new('artifact', 'artifact', [CompletionResultType]::ParameterValue, 'Attach artifacts (logs, results, images, files) to tickets and subtickets, and download them')
            [CompletionResult]::new('package', 'package', [CompletionResultType]::ParameterValue, 'Source and binary packages of the project manager')
            [CompletionResult]::new('person', 'person', [CompletionResultType]::ParameterValue, 'People and teams')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show or change the config file')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Store a new token after checking it with the server; the old one is replaced only if the new one works')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'Show the server, the token''s name and role, and where each setting came from')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Forget the saved token')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ticketctl;submit' {
            [CompletionResult]::new('--title', '--title', [CompletionResultType]::ParameterName, 'Ticket title [default: the first change in a .changes'' changelog entry; else asked for on a terminal]')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'Ticket description [default: a .changes'' changelog entry; else asked for on a terminal]')
            [CompletionResult]::new('--bug', '--bug', [CompletionResultType]::ParameterName, 'Launchpad bug number [default: the first of the upload''s Launchpad-Bugs-Fixed, else Closes]')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Owner address [default: the token''s owner if it is bound to one, else the upload''s Changed-By, else Maintainer, else the `owner` setting, else DEBEMAIL]')
            [CompletionResult]::new('--assignee', '--assignee', [CompletionResultType]::ParameterName, 'Assignee of every subticket [default: the owner]')
            [CompletionResult]::new('--ppa', '--ppa', [CompletionResultType]::ParameterName, 'PPA dedicated to the ticket')
            [CompletionResult]::new('--base-image', '--base-image', [CompletionResultType]::ParameterName, 'Image to develop and test against')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'With --wait: give up after this long, e.g. 30m, 2h (exit 7)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--no-queue', '--no-queue', [CompletionResultType]::ParameterName, 'Create the ticket at step 0 (New) instead of queueing it')
            [CompletionResult]::new('--resubmit', '--resubmit', [CompletionResultType]::ParameterName, 'Submit .changes or .dsc uploads even if a ticket has them already')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Then follow the new ticket as `ticketctl watch` does (exit 0, 6 or 7)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketctl;ticket' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List tickets')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show everything about a ticket: failure report, subtickets, artifacts, history')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print the logs of a failed ticket: its failed subticket''s LOGS and its own')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a ticket alone, at step New (`submit` makes the ticket, its uploads and subtickets in one go)')
            [CompletionResult]::new('complete', 'complete', [CompletionResultType]::ParameterValue, 'Mark a ticket Complete (1000/1000), and its unfinished subtickets with it')
            [CompletionResult]::new('fail', 'fail', [CompletionResultType]::ParameterValue, 'Mark a ticket Failed at the step it is in')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ticketctl;ticket;list' {
            [CompletionResult]::new('--step', '--step', [CompletionResultType]::ParameterName, 'Only tickets at this step (name or code)')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Only tickets of this owner')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Sort by: created, updated or id (newest first), title (A to Z)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many (1 or more)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--open', '--open', [CompletionResultType]::ParameterName, 'Only tickets neither Failed nor Complete')
            [CompletionResult]::new('--reverse', '--reverse', [CompletionResultType]::ParameterName, 'The other way round: oldest (or Z) first')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every matching ticket, all pages')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketctl;ticket;show' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketctl;ticket;logs' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Save them as files instead, DIR/subticket-N/NAME and DIR/ticket-N/NAME')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'The LOGS of the ticket and of every subticket, failed or not')
            [CompletionResult]::new('--clobber', '--clobber', [CompletionResultType]::ParameterName, 'Replace files under DIR that exist')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketctl;ticket;create' {
            [CompletionResult]::new('--title', '--title', [CompletionResultType]::ParameterName, 'title')
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'owner')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'description')
            [CompletionResult]::new('--bug', '--bug', [CompletionResultType]::ParameterName, 'Launchpad bug number')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketctl;ticket;complete' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketctl;ticket;fail' {
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'Why it failed')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketctl;ticket;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List tickets')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show everything about a ticket: failure report, subtickets, artifacts, history')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print the logs of a failed ticket: its failed subticket''s LOGS and its own')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a ticket alone, at step New (`submit` makes the ticket, its uploads and subtickets in one go)')
            [CompletionResult]::new('complete', 'complete', [CompletionResultType]::ParameterValue, 'Mark a ticket Complete (1000/1000), and its unfinished subtickets with it')
            [CompletionResult]::new('fail', 'fail', [CompletionResultType]::ParameterValue, 'Mark a ticket Failed at the step it is in')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ticketctl;ticket;help;list' {
            break
        }
        'ticketctl;ticket;help;show' {
            break
        }
        'ticketctl;ticket;help;logs' {
            break
        }
        'ticketctl;ticket;help;create' {
            break
        }
        'ticketctl;ticket;help;complete' {
            break
        }
        'ticketctl;ticket;help;fail' {
            break
        }
        'ticketctl;ticket;help;help' {
            break
        }
        'ticketctl;watch' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long, e.g. 90s, 30m, 2h (exit 7)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketctl;spu' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a source package upload')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ticketctl;spu;create' {
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Source package name or id')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Debian version')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ticketctl;spu;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a source package upload')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ticketctl;spu;help;create' {
            break
        }
        'ticketctl;spu;help;help' {
            break
        }
        'ticketctl;subticket' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Add a subticket to a ticket still at step 0')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ticketctl;subticket;create' {
            [CompletionResult]::new('--ticket', '--ticket', [CompletionResultType]::ParameterName, 'Ticket id')
            [CompletionResult]::new('--spu', '--spu', [CompletionResultType]::ParameterName, 'Source package upload id')
            [CompletionResult]::new('--assignee', '--assignee', [CompletionResultType]::ParameterName, 'Assignee [default: the ticket''s owner]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketctl;subticket;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Add a subticket to a ticket still at step 0')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ticketctl;subticket;help;create' {
            break
        }
        'ticketctl;subticket;help;help' {
            break
        }
        'ticketctl;status' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set the step and status of a ticket (or, with --subticket, a subticket)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ticketctl;status;set' {
            [CompletionResult]::new('--subticket', '--subticket', [CompletionResultType]::ParameterName, 'Subticket id, instead of a ticket')
            [CompletionResult]::new('--step', '--step', [CompletionResultType]::ParameterName, 'Step, by name (image-testing) or code (400)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Status, by name (in-progress) or code (100)')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'Why (kept in the history)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Override the workflow rules (admin tokens only)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketctl;status;help' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set the step and status of a ticket (or, with --subticket, a subticket)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ticketctl;status;help;set' {
            break
        }
        'ticketctl;status;help;help' {
            break
        }
        'ticketctl;artifact' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Attach an artifact, by reference or by uploading a file')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Download an artifact: a file of the server''s blob store, checked against its SHA-256, or what its URL names')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ticketctl;artifact;add' {
            [CompletionResult]::new('--ticket', '--ticket', [CompletionResultType]::ParameterName, 'Ticket id')
            [CompletionResult]::new('--subticket', '--subticket', [CompletionResultType]::ParameterName, 'Subticket id')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Artifact type (tickets: RESULTS, LOGS, IMAGE; subtickets: SPU, RESULTS, LOGS)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Artifact name')
            [CompletionResult]::new('--reference', '--reference', [CompletionResultType]::ParameterName, 'An absolute URL where the artifact lives')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'A file to upload to the server''s blob store')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketctl;artifact;get' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE (DIR/NAME if a directory), stdout with `-` [default: NAME]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE (DIR/NAME if a directory), stdout with `-` [default: NAME]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--subticket', '--subticket', [CompletionResultType]::ParameterName, 'ID is a subticket artifact''s id (`ticket show` lists both kinds)')
            [CompletionResult]::new('--clobber', '--clobber', [CompletionResultType]::ParameterName, 'Replace FILE if it exists')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketctl;artifact;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Attach an artifact, by reference or by uploading a file')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Download an artifact: a file of the server''s blob store, checked against its SHA-256, or what its URL names')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ticketctl;artifact;help;add' {
            break
        }
        'ticketctl;artifact;help;get' {
            break
        }
        'ticketctl;artifact;help;help' {
            break
        }
        'ticketctl;package' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List source packages (or binary packages with --binary)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a source package with its binaries and uploads')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a source package')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import the project manager''s package list (admin)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ticketctl;package;list' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Only names starting with this')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'limit')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--binary', '--binary', [CompletionResultType]::ParameterName, 'List binary packages instead')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'All pages')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketctl;package;show' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketctl;package;add' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketctl;package;import' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Also remove binaries that are not listed')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketctl;package;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List source packages (or binary packages with --binary)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a source package with its binaries and uploads')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a source package')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import the project manager''s package list (admin)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ticketctl;package;help;list' {
            break
        }
        'ticketctl;package;help;show' {
            break
        }
        'ticketctl;package;help;add' {
            break
        }
        'ticketctl;package;help;import' {
            break
        }
        'ticketctl;package;help;help' {
            break
        }
        'ticketctl;person' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List people and teams')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a person or team (admin)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ticketctl;person;list' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Names starting with this (case-insensitive)')
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'Addresses starting with this (case-insensitive)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--teams', '--teams', [CompletionResultType]::ParameterName, 'Only teams')
            [CompletionResult]::new('--people', '--people', [CompletionResultType]::ParameterName, 'Only people')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketctl;person;add' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'name')
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'email')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--team', '--team', [CompletionResultType]::ParameterName, 'It is a team')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketctl;person;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List people and teams')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a person or team (admin)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ticketctl;person;help;list' {
            break
        }
        'ticketctl;person;help;add' {
            break
        }
        'ticketctl;person;help;help' {
            break
        }
        'ticketctl;config' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a setting: server, token or owner')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the settings in effect and where the config file is')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ticketctl;config;set' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketctl;config;show' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketctl;config;help' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a setting: server, token or owner')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the settings in effect and where the config file is')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ticketctl;config;help;set' {
            break
        }
        'ticketctl;config;help;show' {
            break
        }
        'ticketctl;config;help;help' {
            break
        }
        'ticketctl;login' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--with-token', '--with-token', [CompletionResultType]::ParameterName, 'Read the token from stdin (one line)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketctl;whoami' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketctl;logout' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketctl;completions' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server origin, without /api/v1 [default: http://127.0.0.1:8000]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token (see `ticketctl login`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the server''s JSON instead of tables')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; fail with a usage error where input is missing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less (no progress bars)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (each request)')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of the local zone')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'ticketctl;help' {
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Submit a change: one ticket with one subticket per upload, in one call')
            [CompletionResult]::new('ticket', 'ticket', [CompletionResultType]::ParameterValue, 'Tickets: list, show, create, complete, fail')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Follow a ticket as it moves, one line per change, until it completes or fails')
            [CompletionResult]::new('spu', 'spu', [CompletionResultType]::ParameterValue, 'Source package uploads, one at a time (`submit` makes them for you)')
            [CompletionResult]::new('subticket', 'subticket', [CompletionResultType]::ParameterValue, 'Subtickets, one at a time (`submit` makes them for you)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Move a ticket or subticket through the workflow (for landers)')
            [CompletionResult]::new('artifact', 'artifact', [CompletionResultType]::ParameterValue, 'Attach artifacts (logs, results, images, files) to tickets and subtickets, and download them')
            [CompletionResult]::new('package', 'package', [CompletionResultType]::ParameterValue, 'Source and binary packages of the project manager')
            [CompletionResult]::new('person', 'person', [CompletionResultType]::ParameterValue, 'People and teams')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show or change the config file')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Store a new token after checking it with the server; the old one is replaced only if the new one works')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'Show the server, the token''s name and role, and where each setting came from')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Forget the saved token')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ticketctl;help;submit' {
            break
        }
        'ticketctl;help;ticket' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List tickets')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show everything about a ticket: failure report, subtickets, artifacts, history')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print the logs of a failed ticket: its failed subticket''s LOGS and its own')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a ticket alone, at step New (`submit` makes the ticket, its uploads and subtickets in one go)')
            [CompletionResult]::new('complete', 'complete', [CompletionResultType]::ParameterValue, 'Mark a ticket Complete (1000/1000), and its unfinished subtickets with it')
            [CompletionResult]::new('fail', 'fail', [CompletionResultType]::ParameterValue, 'Mark a ticket Failed at the step it is in')
            break
        }
        'ticketctl;help;ticket;list' {
            break
        }
        'ticketctl;help;ticket;show' {
            break
        }
        'ticketctl;help;ticket;logs' {
            break
        }
        'ticketctl;help;ticket;create' {
            break
        }
        'ticketctl;help;ticket;complete' {
            break
        }
        'ticketctl;help;ticket;fail' {
            break
        }
        'ticketctl;help;watch' {
            break
        }
        'ticketctl;help;spu' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a source package upload')
            break
        }
        'ticketctl;help;spu;create' {
            break
        }
        'ticketctl;help;subticket' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Add a subticket to a ticket still at step 0')
            break
        }
        'ticketctl;help;subticket;create' {
            break
        }
        'ticketctl;help;status' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set the step and status of a ticket (or, with --subticket, a subticket)')
            break
        }
        'ticketctl;help;status;set' {
            break
        }
        'ticketctl;help;artifact' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Attach an artifact, by reference or by uploading a file')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Download an artifact: a file of the server''s blob store, checked against its SHA-256, or what its URL names')
            break
        }
        'ticketctl;help;artifact;add' {
            break
        }
        'ticketctl;help;artifact;get' {
            break
        }
        'ticketctl;help;package' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List source packages (or binary packages with --binary)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a source package with its binaries and uploads')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a source package')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import the project manager''s package list (admin)')
            break
        }
        'ticketctl;help;package;list' {
            break
        }
        'ticketctl;help;package;show' {
            break
        }
        'ticketctl;help;package;add' {
            break
        }
        'ticketctl;help;package;import' {
            break
        }
        'ticketctl;help;person' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List people and teams')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a person or team (admin)')
            break
        }
        'ticketctl;help;person;list' {
            break
        }
        'ticketctl;help;person;add' {
            break
        }
        'ticketctl;help;config' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a setting: server, token or owner')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the settings in effect and where the config file is')
            break
        }
        'ticketctl;help;config;set' {
            break
        }
        'ticketctl;help;config;show' {
            break
        }
        'ticketctl;help;login' {
            break
        }
        'ticketctl;help;whoami' {
            break
        }
        'ticketctl;help;logout' {
            break
        }
        'ticketctl;help;completions' {
            break
        }
        'ticketctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
