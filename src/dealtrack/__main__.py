from dealtrack.cli import main

main()
