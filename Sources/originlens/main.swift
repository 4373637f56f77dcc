import OriginLens
print("originlens")
