from callback_coach.cli import main

main()
