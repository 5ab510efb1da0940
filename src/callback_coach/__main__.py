from callback_coach.launch import main

main()
