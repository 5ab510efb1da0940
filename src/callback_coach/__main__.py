from callback_coach.cli.app import main

main()
