print("biomed-r1")
