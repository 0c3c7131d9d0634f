import OspreyCLI

OspreyCommand.main()
