MERGE INTO product KEY (id) VALUES (1, 'Espresso machine', 349.00), (2, 'Grinder', 129.50), (3, 'Kettle', 59.90);
MERGE INTO setting KEY (name) VALUES ('currency', 'EUR'), ('shipping', 'free over 50');
