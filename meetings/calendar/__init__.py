"""Calendar invitations and the private calendar feed of meetings (MDO-05): iCalendar built in
`ics`, changes in `services`, gated reads in `queries`, the queued e-mails in `tasks`."""
