from callback_coach.cli.launch import main

main()
